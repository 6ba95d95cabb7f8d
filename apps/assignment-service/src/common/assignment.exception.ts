import { DomainErrorKind, DomainException } from '@crm/http';

export enum AssignmentExceptionCode {
  CustomerNotFound = 'CUSTOMER_NOT_FOUND',
  InstitutionNotFound = 'INSTITUTION_NOT_FOUND',
  ManagerNotFound = 'MANAGER_NOT_FOUND',
  PinNotFound = 'PIN_NOT_FOUND',
  InstitutionNotCovering = 'INSTITUTION_NOT_COVERING',
  ManagerNotEligible = 'MANAGER_NOT_ELIGIBLE',
  NotKeyCustomer = 'NOT_KEY_CUSTOMER',
  ParentInvalid = 'PARENT_INVALID',
  VisitNotAllowed = 'VISIT_NOT_ALLOWED',
}

/** Every domain error of assignment-service; the global filter turns it into problem details. */
export class AssignmentException extends DomainException<AssignmentExceptionCode> {
  protected readonly kinds = {
    [AssignmentExceptionCode.CustomerNotFound]: DomainErrorKind.NotFound,
    [AssignmentExceptionCode.InstitutionNotFound]: DomainErrorKind.NotFound,
    [AssignmentExceptionCode.ManagerNotFound]: DomainErrorKind.NotFound,
    [AssignmentExceptionCode.PinNotFound]: DomainErrorKind.NotFound,
    [AssignmentExceptionCode.InstitutionNotCovering]: DomainErrorKind.RuleViolation,
    [AssignmentExceptionCode.ManagerNotEligible]: DomainErrorKind.RuleViolation,
    [AssignmentExceptionCode.NotKeyCustomer]: DomainErrorKind.RuleViolation,
    [AssignmentExceptionCode.ParentInvalid]: DomainErrorKind.RuleViolation,
    [AssignmentExceptionCode.VisitNotAllowed]: DomainErrorKind.Forbidden,
  };
}
