import { DomainErrorKind, DomainException } from '@crm/http';

export enum CampaignExceptionCode {
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  TransitionNotAllowed = 'CAMPAIGN_TRANSITION_NOT_ALLOWED',
  FourEyesRequired = 'FOUR_EYES_REQUIRED',
  CampaignNotEditable = 'CAMPAIGN_NOT_EDITABLE',
  CampaignChanged = 'CAMPAIGN_CHANGED',
  InstitutionUnknown = 'INSTITUTION_UNKNOWN',
  PolicyLoosened = 'POLICY_LOOSENED',
  TaskNotFound = 'TASK_NOT_FOUND',
  TaskAlreadyDone = 'TASK_ALREADY_DONE',
  AudienceMismatch = 'AUDIENCE_MISMATCH',
  CustomerNotFound = 'CUSTOMER_NOT_FOUND',
  DecisionNotFound = 'DECISION_NOT_FOUND',
  DecisionAnswered = 'DECISION_ANSWERED',
}

export class CampaignException extends DomainException<CampaignExceptionCode> {
  protected readonly kinds = {
    [CampaignExceptionCode.CampaignNotFound]: DomainErrorKind.NotFound,
    [CampaignExceptionCode.TransitionNotAllowed]: DomainErrorKind.Conflict,
    [CampaignExceptionCode.FourEyesRequired]: DomainErrorKind.Forbidden,
    [CampaignExceptionCode.CampaignNotEditable]: DomainErrorKind.Conflict,
    [CampaignExceptionCode.CampaignChanged]: DomainErrorKind.Conflict,
    [CampaignExceptionCode.InstitutionUnknown]: DomainErrorKind.NotFound,
    [CampaignExceptionCode.PolicyLoosened]: DomainErrorKind.RuleViolation,
    [CampaignExceptionCode.TaskNotFound]: DomainErrorKind.NotFound,
    [CampaignExceptionCode.TaskAlreadyDone]: DomainErrorKind.Conflict,
    [CampaignExceptionCode.AudienceMismatch]: DomainErrorKind.RuleViolation,
    [CampaignExceptionCode.CustomerNotFound]: DomainErrorKind.NotFound,
    [CampaignExceptionCode.DecisionNotFound]: DomainErrorKind.NotFound,
    [CampaignExceptionCode.DecisionAnswered]: DomainErrorKind.Conflict,
  };
}

/** Unknown and out-of-scope campaigns look the same: a caller cannot probe for other institutions' campaigns. */
export const campaignNotFound = (id: string): CampaignException =>
  new CampaignException(CampaignExceptionCode.CampaignNotFound, `No campaign ${id} in your data scope`);
