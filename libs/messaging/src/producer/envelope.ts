import { randomUUID } from 'node:crypto';
import { CLOUDEVENTS_SPEC_VERSION, EventEnvelope } from '@crm/contracts';
import { currentContext } from '@crm/observability';

/** What a service says of an event it publishes; the envelope adds the id, source and spec version. */
export interface NewEvent<T extends object> {
  type: string;
  /** The customer (or entity) the event is about: Kafka key and ce_subject. */
  subject: string;
  data: T;
  time?: Date;
  correlationId?: string;
  traceparent?: string;
}

/** The CloudEvents envelope of a service's event; the request's correlation and trace unless given. */
export function envelopeOf<T extends object>(
  source: string,
  event: NewEvent<T>,
  id: string = randomUUID(),
): EventEnvelope<T> {
  return {
    id,
    source,
    type: event.type,
    specversion: CLOUDEVENTS_SPEC_VERSION,
    time: (event.time ?? new Date()).toISOString(),
    subject: event.subject,
    correlationid: event.correlationId ?? currentContext()?.correlationId,
    traceparent: event.traceparent ?? currentContext()?.traceparent,
    data: event.data,
  };
}
