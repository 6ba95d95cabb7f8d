import { DomainErrorKind, DomainException } from '@crm/http';

export enum AnalyticsExceptionCode {
  MonthRetained = 'MONTH_RETAINED',
  MonthDetached = 'MONTH_DETACHED',
  BusinessDateNotReached = 'BUSINESS_DATE_NOT_REACHED',
  RunNotFound = 'COB_RUN_NOT_FOUND',
  RunShardsDiffer = 'COB_RUN_SHARDS_DIFFER',
  NoFigures = 'NO_FIGURES',
  CustomerNotFound = 'CUSTOMER_NOT_FOUND',
  InstitutionUnknown = 'INSTITUTION_UNKNOWN',
  PeriodNotRun = 'PERIOD_NOT_RUN',
}

export class AnalyticsException extends DomainException<AnalyticsExceptionCode> {
  protected readonly kinds = {
    [AnalyticsExceptionCode.MonthRetained]: DomainErrorKind.RuleViolation,
    [AnalyticsExceptionCode.MonthDetached]: DomainErrorKind.RuleViolation,
    [AnalyticsExceptionCode.BusinessDateNotReached]: DomainErrorKind.RuleViolation,
    [AnalyticsExceptionCode.RunNotFound]: DomainErrorKind.NotFound,
    [AnalyticsExceptionCode.RunShardsDiffer]: DomainErrorKind.Conflict,
    [AnalyticsExceptionCode.NoFigures]: DomainErrorKind.NotFound,
    [AnalyticsExceptionCode.CustomerNotFound]: DomainErrorKind.NotFound,
    [AnalyticsExceptionCode.InstitutionUnknown]: DomainErrorKind.NotFound,
    [AnalyticsExceptionCode.PeriodNotRun]: DomainErrorKind.RuleViolation,
  };
}
