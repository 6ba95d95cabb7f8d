import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { ApiProblems } from '@crm/http';
import { PageQueryDto } from '../organisation/organisation.dto';
import { BankParametersPageDto, BankParametersVersionDto, UpdateBankParametersDto } from './parameters.dto';
import { ParametersService } from './parameters.service';

const DEFAULT_LIMIT = 50;

@ApiTags('parameters 参数')
@Controller('parameters')
export class ParametersController {
  constructor(private readonly parameters: ParametersService) {}

  @Get()
  @Roles(Role.HeadOfficeAdmin, Role.InstitutionHead, Role.RelationshipManager, Role.System)
  @ApiOperation({ summary: 'The bank-level parameters of coverage, key customers and visit duty' })
  @ApiOkResponse({ type: BankParametersVersionDto })
  @ApiProblems()
  current(): Promise<BankParametersVersionDto> {
    return this.parameters.current();
  }

  @Put()
  @Roles(Role.HeadOfficeAdmin)
  @ApiOperation({
    summary: 'Change the bank-level parameters (head-office admin; audited, every version kept)',
    description:
      'A change of the key-customer thresholds re-evaluates every covered customer in the background.',
  })
  @ApiOkResponse({ type: BankParametersVersionDto })
  @ApiProblems()
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: UpdateBankParametersDto,
  ): Promise<BankParametersVersionDto> {
    return this.parameters.update(user, dto);
  }

  @Get('history')
  @Roles(Role.HeadOfficeAdmin, Role.InstitutionHead, Role.System)
  @ApiOperation({ summary: 'Every version of the parameters, newest first' })
  @ApiOkResponse({ type: BankParametersPageDto })
  @ApiProblems()
  history(@Query() q: PageQueryDto): Promise<BankParametersPageDto> {
    return this.parameters.history(q.limit ?? DEFAULT_LIMIT, q.cursor);
  }
}
