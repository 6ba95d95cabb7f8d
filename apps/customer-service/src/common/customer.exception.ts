import { DomainErrorKind, DomainException } from '@crm/http';

export enum CustomerExceptionCode {
  NotFound = 'CUSTOMER_NOT_FOUND',
  ProspectNotFound = 'PROSPECT_NOT_FOUND',
  ProspectAlreadyMatched = 'PROSPECT_ALREADY_MATCHED',
  TagNotFound = 'TAG_NOT_FOUND',
  PiiReadRequired = 'PII_READ_REQUIRED',
  PiiWriteRequired = 'PII_WRITE_REQUIRED',
  ExportTooLarge = 'EXPORT_TOO_LARGE',
  ExportTimedOut = 'EXPORT_TIMED_OUT',
}

export class CustomerException extends DomainException<CustomerExceptionCode> {
  protected readonly kinds = {
    [CustomerExceptionCode.NotFound]: DomainErrorKind.NotFound,
    [CustomerExceptionCode.ProspectNotFound]: DomainErrorKind.NotFound,
    [CustomerExceptionCode.ProspectAlreadyMatched]: DomainErrorKind.Conflict,
    [CustomerExceptionCode.TagNotFound]: DomainErrorKind.NotFound,
    [CustomerExceptionCode.PiiReadRequired]: DomainErrorKind.Forbidden,
    [CustomerExceptionCode.PiiWriteRequired]: DomainErrorKind.Forbidden,
    [CustomerExceptionCode.ExportTooLarge]: DomainErrorKind.RuleViolation,
    [CustomerExceptionCode.ExportTimedOut]: DomainErrorKind.Unavailable,
  };
}

/** Unknown and out-of-scope customers look the same: a caller cannot probe for ids outside their scope. */
export const customerNotFound = (id: string): CustomerException =>
  new CustomerException(CustomerExceptionCode.NotFound, `No customer ${id} in your data scope`);
