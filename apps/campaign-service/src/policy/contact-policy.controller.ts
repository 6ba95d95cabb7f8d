import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { CAMPAIGN_STAFF } from '../common/campaign-roles';
import { ContactPolicyDto, InstitutionPolicyDto, PolicyVersionDto } from './contact-policy.dto';
import { ContactPolicyService } from './contact-policy.service';

@ApiTags('contact policy (接触策略)')
@Controller('contact-policy')
@Roles(...CAMPAIGN_STAFF)
export class ContactPolicyController {
  constructor(private readonly policies: ContactPolicyService) {}

  @Get()
  @ApiOperation({
    summary: 'The bank’s contact policy: caps, quiet hours, cooling after a no, channel capacity',
  })
  @ApiOkResponse({ type: PolicyVersionDto })
  @ApiProblems()
  bank(): Promise<PolicyVersionDto> {
    return this.policies.bankPolicy();
  }

  @Put()
  @Roles(Role.HeadOfficeAdmin)
  @ApiOperation({
    summary: 'Set the bank’s contact policy (head office; applies to the next contact; audited)',
  })
  @ApiOkResponse({ type: PolicyVersionDto })
  @ApiProblems()
  setBank(@CurrentUser() user: AuthenticatedUser, @Body() body: ContactPolicyDto): Promise<PolicyVersionDto> {
    return this.policies.setBankPolicy(user, body);
  }

  @Get('institutions/:institutionId')
  @ApiOperation({ summary: 'An institution’s own tightening and the policy in force for its customers' })
  @ApiParam({ name: 'institutionId' })
  @ApiOkResponse({ type: InstitutionPolicyDto })
  @ApiProblems(404)
  institution(
    @CurrentUser() user: AuthenticatedUser,
    @Param('institutionId') institutionId: string,
  ): Promise<InstitutionPolicyDto> {
    return this.policies.institutionPolicy(user, institutionId);
  }

  @Put('institutions/:institutionId')
  @Roles(Role.HeadOfficeAdmin, Role.InstitutionHead)
  @ApiOperation({ summary: 'Tighten the policy for an institution’s subtree (never loosen: 422; audited)' })
  @ApiParam({ name: 'institutionId' })
  @ApiOkResponse({ type: InstitutionPolicyDto })
  @ApiProblems(404, 422)
  setInstitution(
    @CurrentUser() user: AuthenticatedUser,
    @Param('institutionId') institutionId: string,
    @Body() body: ContactPolicyDto,
  ): Promise<InstitutionPolicyDto> {
    return this.policies.setInstitutionPolicy(user, institutionId, body);
  }

  @Delete('institutions/:institutionId')
  @Roles(Role.HeadOfficeAdmin, Role.InstitutionHead)
  @ApiOperation({ summary: 'Drop an institution’s tightening: it inherits again (audited)' })
  @ApiParam({ name: 'institutionId' })
  @ApiOkResponse({ type: InstitutionPolicyDto })
  @ApiProblems(404)
  resetInstitution(
    @CurrentUser() user: AuthenticatedUser,
    @Param('institutionId') institutionId: string,
  ): Promise<InstitutionPolicyDto> {
    return this.policies.setInstitutionPolicy(user, institutionId, null);
  }
}
