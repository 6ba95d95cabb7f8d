import { DomainErrorKind, DomainException } from '@crm/http';

export enum AnalyticsExceptionCode {
  MonthRetained = 'MONTH_RETAINED',
}

export class AnalyticsException extends DomainException<AnalyticsExceptionCode> {
  protected readonly kinds = {
    [AnalyticsExceptionCode.MonthRetained]: DomainErrorKind.RuleViolation,
  };
}
