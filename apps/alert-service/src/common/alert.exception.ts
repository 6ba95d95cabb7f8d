import { DomainErrorKind, DomainException } from '@crm/http';

export enum AlertExceptionCode {
  AlertNotFound = 'ALERT_NOT_FOUND',
  AlertAlreadyResolved = 'ALERT_ALREADY_RESOLVED',
  InstitutionUnknown = 'INSTITUTION_UNKNOWN',
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  DeliveryNotRedeliverable = 'DELIVERY_NOT_REDELIVERABLE',
}

export class AlertException extends DomainException<AlertExceptionCode> {
  protected readonly kinds = {
    [AlertExceptionCode.AlertNotFound]: DomainErrorKind.NotFound,
    [AlertExceptionCode.AlertAlreadyResolved]: DomainErrorKind.Conflict,
    [AlertExceptionCode.InstitutionUnknown]: DomainErrorKind.NotFound,
    [AlertExceptionCode.WebhookNotFound]: DomainErrorKind.NotFound,
    [AlertExceptionCode.DeliveryNotRedeliverable]: DomainErrorKind.Conflict,
  };
}
