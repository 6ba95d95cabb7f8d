/**
 * CloudEvents 1.0 in the Kafka protocol binding, binary content mode: attributes travel as
 * `ce_*` headers, the payload is the JSON message value, the message key is the customer id.
 */
export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** Header names (wire names: never change). */
export const EventHeaders = {
  Id: 'ce_id',
  Source: 'ce_source',
  Type: 'ce_type',
  SpecVersion: 'ce_specversion',
  Time: 'ce_time',
  Subject: 'ce_subject',
  ContentType: 'content-type',
  /** W3C trace context, carried as the CloudEvents distributed-tracing extension. */
  TraceParent: 'ce_traceparent',
  /** Business correlation id: one customer request or one simulator scenario across services. */
  CorrelationId: 'ce_correlationid',
  /** Dead-letter headers: why and where an event could not be handled. */
  DlqReason: 'dlq_reason',
  DlqTopic: 'dlq_original_topic',
  DlqPartition: 'dlq_original_partition',
  DlqOffset: 'dlq_original_offset',
  DlqService: 'dlq_service',
} as const;

export interface EventEnvelope<T = unknown> {
  id: string;
  source: string;
  type: string;
  specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  /** RFC 3339 time the fact happened at the source. */
  time: string;
  /** The customer (or organisation entity) the event is about; also the Kafka key. */
  subject: string;
  traceparent?: string;
  correlationid?: string;
  data: T;
}

export type KafkaHeaders = Record<string, string>;

/** Turns an envelope into the Kafka binding: key, headers and JSON value. */
export function toKafkaMessage(event: EventEnvelope): { key: string; value: string; headers: KafkaHeaders } {
  const headers: KafkaHeaders = {
    [EventHeaders.Id]: event.id,
    [EventHeaders.Source]: event.source,
    [EventHeaders.Type]: event.type,
    [EventHeaders.SpecVersion]: event.specversion,
    [EventHeaders.Time]: event.time,
    [EventHeaders.Subject]: event.subject,
    [EventHeaders.ContentType]: 'application/json',
  };
  if (event.traceparent) headers[EventHeaders.TraceParent] = event.traceparent;
  if (event.correlationid) headers[EventHeaders.CorrelationId] = event.correlationid;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

export class EnvelopeError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EnvelopeError';
  }
}

const REQUIRED_HEADERS = [
  EventHeaders.Id,
  EventHeaders.Source,
  EventHeaders.Type,
  EventHeaders.SpecVersion,
  EventHeaders.Time,
  EventHeaders.Subject,
] as const;

/** Reads the Kafka binding back into an envelope; the payload is parsed but not yet validated. */
export function fromKafkaMessage(headers: KafkaHeaders, value: string | null): EventEnvelope<unknown> {
  for (const name of REQUIRED_HEADERS) {
    if (!headers[name]) throw new EnvelopeError(`missing header ${name}`);
  }
  if (headers[EventHeaders.SpecVersion] !== CLOUDEVENTS_SPEC_VERSION) {
    throw new EnvelopeError(`unsupported ${EventHeaders.SpecVersion} ${headers[EventHeaders.SpecVersion]}`);
  }
  if (Number.isNaN(Date.parse(headers[EventHeaders.Time]))) {
    throw new EnvelopeError(`${EventHeaders.Time} is not an RFC 3339 time`);
  }
  if (value === null) throw new EnvelopeError('empty message value');
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new EnvelopeError('message value is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new EnvelopeError('message value is not a JSON object');
  }
  return {
    id: headers[EventHeaders.Id],
    source: headers[EventHeaders.Source],
    type: headers[EventHeaders.Type],
    specversion: CLOUDEVENTS_SPEC_VERSION,
    time: headers[EventHeaders.Time],
    subject: headers[EventHeaders.Subject],
    traceparent: headers[EventHeaders.TraceParent],
    correlationid: headers[EventHeaders.CorrelationId],
    data,
  };
}
