/**
 * What kind of failure a domain error is, independent of transport; the HTTP filter (and later
 * the gRPC layer) turns a kind into a status in one place.
 */
export enum DomainErrorKind {
  InvalidInput = 'invalid-input',
  NotFound = 'not-found',
  Conflict = 'conflict',
  /** The request is well-formed but a banking rule forbids it (e.g. a contact cap is reached). */
  RuleViolation = 'rule-violation',
  /** Outside the caller's data scope. */
  Forbidden = 'forbidden',
  Unavailable = 'unavailable',
}

/**
 * Base of every area's exception: an enum of codes and, per code, its kind. A code without a
 * kind does not compile.
 *
 *   export enum CustomerExceptionCode { NotFound = 'CUSTOMER_NOT_FOUND' }
 *   export class CustomerException extends DomainException<CustomerExceptionCode> {
 *     protected readonly kinds = { [CustomerExceptionCode.NotFound]: DomainErrorKind.NotFound };
 *   }
 *   throw new CustomerException(CustomerExceptionCode.NotFound, `customer ${id} not found`);
 */
export abstract class DomainException<C extends string = string> extends Error {
  protected abstract readonly kinds: Readonly<Record<C, DomainErrorKind>>;

  /** `message` is shown to the caller as the problem detail: no PII, no internals. */
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get kind(): DomainErrorKind {
    return this.kinds[this.code];
  }
}
