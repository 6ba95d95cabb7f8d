import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { ApiProblems } from '@crm/http';
import { AlertParametersDto, EffectiveParametersDto } from './alert-parameters.dto';
import { AlertParametersService } from './alert-parameters.service';

@ApiTags('alert parameters (提醒参数)')
@Controller('alert-parameters')
@Roles(Role.HeadOfficeAdmin, Role.InstitutionHead)
export class AlertParametersController {
  constructor(private readonly parameters: AlertParametersService) {}

  @Get('defaults')
  @ApiOperation({ summary: 'The bank’s default thresholds and lead times' })
  @ApiOkResponse({ type: AlertParametersDto })
  @ApiProblems()
  defaults(): AlertParametersDto {
    return this.parameters.defaults();
  }

  @Get('institutions/:institutionId')
  @ApiOperation({
    summary: 'The parameters in force for an institution (its own, an ancestor’s, or the defaults)',
  })
  @ApiParam({ name: 'institutionId', example: 'OUT-330106-01' })
  @ApiOkResponse({ type: EffectiveParametersDto })
  @ApiProblems(404)
  effective(
    @CurrentUser() user: AuthenticatedUser,
    @Param('institutionId') institutionId: string,
  ): Promise<EffectiveParametersDto> {
    return this.parameters.effective(user, institutionId);
  }

  @Put('institutions/:institutionId')
  @ApiOperation({
    summary:
      'Set an institution’s parameters (applies to events booked from now on, and to its subtree unless overridden; audited)',
  })
  @ApiParam({ name: 'institutionId', example: 'OUT-330106-01' })
  @ApiOkResponse({ type: EffectiveParametersDto })
  @ApiProblems(404)
  set(
    @CurrentUser() user: AuthenticatedUser,
    @Param('institutionId') institutionId: string,
    @Body() body: AlertParametersDto,
  ): Promise<EffectiveParametersDto> {
    return this.parameters.set(user, institutionId, body);
  }

  @Delete('institutions/:institutionId')
  @ApiOperation({ summary: 'Drop an institution’s override: it inherits again from now on (audited)' })
  @ApiParam({ name: 'institutionId', example: 'OUT-330106-01' })
  @ApiOkResponse({ type: EffectiveParametersDto })
  @ApiProblems(404)
  reset(
    @CurrentUser() user: AuthenticatedUser,
    @Param('institutionId') institutionId: string,
  ): Promise<EffectiveParametersDto> {
    return this.parameters.set(user, institutionId, null);
  }
}
