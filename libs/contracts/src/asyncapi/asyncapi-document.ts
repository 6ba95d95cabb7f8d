import { EVENT_CATALOG, type EventType } from '../catalog';
import { CLOUDEVENTS_SPEC_VERSION, EventHeaders } from '../envelope';
import { EVENT_SAMPLES } from '../event-samples';
import { TIMESTAMP } from '../field.decorators';
import { DECIMAL_AMOUNT } from '../money';
import { TOPIC_PARTITIONS, TOPIC_PUBLISHERS, deadLetterTopicOf } from '../topics';
import { objectSchemaOf, type JsonSchema, type PayloadClass } from './payload-schema';

/** Where the generated document lives and how to regenerate it (tools/asyncapi writes it). */
export const ASYNCAPI_DOCUMENT_PATH = 'docs/asyncapi.yaml';
export const ASYNCAPI_REGENERATE_COMMAND = 'node -r ./tools/register.js tools/asyncapi/generate-asyncapi.ts';

const KAFKA_BINDING_VERSION = '0.5.0';
const byKey = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));

const headersSchemaOf = (type: string): JsonSchema => ({
  type: 'object',
  properties: {
    [EventHeaders.Id]: {
      type: 'string',
      minLength: 1,
      description: 'Event id; consumers deduplicate on it.',
    },
    [EventHeaders.Source]: {
      type: 'string',
      minLength: 1,
      description: 'URI reference of the producing system.',
    },
    [EventHeaders.Type]: { type: 'string', const: type },
    [EventHeaders.SpecVersion]: { type: 'string', const: CLOUDEVENTS_SPEC_VERSION },
    [EventHeaders.Time]: { type: 'string', format: 'date-time', pattern: TIMESTAMP.source },
    [EventHeaders.Subject]: {
      type: 'string',
      minLength: 1,
      description:
        'The customer id (institution or manager id for organisation events); equals the message key.',
    },
    [EventHeaders.ContentType]: { type: 'string', const: 'application/json' },
    [EventHeaders.TraceParent]: {
      type: 'string',
      description: 'W3C trace context (CloudEvents distributed tracing).',
    },
    [EventHeaders.CorrelationId]: { type: 'string', description: 'Business correlation id.' },
  },
  required: [
    EventHeaders.Id,
    EventHeaders.Source,
    EventHeaders.Type,
    EventHeaders.SpecVersion,
    EventHeaders.Time,
    EventHeaders.Subject,
    EventHeaders.ContentType,
  ],
});

/** The message every dead-letter topic carries: the original, as received, and why it could not be handled. */
export const DEAD_LETTER_MESSAGE = 'dead-letter';

const deadLetterMessage = (): Record<string, unknown> => ({
  name: DEAD_LETTER_MESSAGE,
  title: 'Dead-lettered event',
  summary:
    'An event a CRM service could not handle (it does not decode, breaks its contract, or its handler refused it ' +
    'for good), sent on unchanged with the reason; the stream goes on without it. Operations read these, mend ' +
    'the cause and publish the event again on its topic.',
  contentType: 'application/octet-stream',
  headers: {
    type: 'object',
    properties: {
      [EventHeaders.DlqReason]: {
        type: 'string',
        minLength: 1,
        description: 'Why the event could not be handled.',
      },
      [EventHeaders.DlqTopic]: { type: 'string', minLength: 1, description: 'The topic it was read from.' },
      [EventHeaders.DlqPartition]: { type: 'string', pattern: '^\\d+$', description: 'Its partition there.' },
      [EventHeaders.DlqOffset]: { type: 'string', pattern: '^\\d+$', description: 'Its offset there.' },
      [EventHeaders.DlqService]: {
        type: 'string',
        minLength: 1,
        description: 'The consumer group (the service) that could not handle it.',
      },
    },
    required: [
      EventHeaders.DlqReason,
      EventHeaders.DlqTopic,
      EventHeaders.DlqPartition,
      EventHeaders.DlqOffset,
      EventHeaders.DlqService,
    ],
    additionalProperties: {
      type: 'string',
      description: 'The original ce_* headers, as received (missing or malformed ones can be the reason).',
    },
  },
  payload: {
    description:
      'The original message value byte for byte: usually the event JSON, but not always valid (that can be the reason).',
  },
  bindings: {
    kafka: {
      key: { type: 'string', description: 'The original message key.' },
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  },
});

const operationIdOf = (action: 'receive' | 'send', topic: string) =>
  action +
  topic
    .split('.')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

/** The AsyncAPI 3.0 document as a plain object, keys sorted where they name collections. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const nested = new Set<PayloadClass>();
  const messages = EVENT_CATALOG.map((definition): [string, Record<string, unknown>] => [
    definition.type,
    {
      name: definition.type,
      title: definition.payload.name,
      summary: definition.summary,
      contentType: 'application/json',
      headers: headersSchemaOf(definition.type),
      payload: objectSchemaOf(definition.payload, nested),
      bindings: {
        kafka: {
          key: {
            type: 'string',
            description: 'Same as ce_subject: keeps one customer ordered on one partition.',
          },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
      examples: [{ name: 'sample', payload: EVENT_SAMPLES[definition.type as EventType] }],
    },
  ]);

  // Nested classes can reference further classes; resolve until no new one appears.
  const schemas = new Map<string, JsonSchema>();
  for (
    let pending = [...nested];
    pending.length > 0;
    pending = [...nested].filter((c) => !schemas.has(c.name))
  ) {
    for (const cls of pending) schemas.set(cls.name, objectSchemaOf(cls, nested));
  }

  const topics = [...new Set(EVENT_CATALOG.map((d) => d.topic))].sort();
  const channels = topics.map((topic): [string, Record<string, unknown>] => [
    topic,
    {
      address: topic,
      title: topic,
      messages: byKey(
        EVENT_CATALOG.filter((d) => d.topic === topic).map((d) => [
          d.type,
          { $ref: `#/components/messages/${d.type}` },
        ]),
      ),
      bindings: { kafka: { topic, partitions: TOPIC_PARTITIONS, bindingVersion: KAFKA_BINDING_VERSION } },
    },
  ]);
  const operations = topics.map((topic): [string, Record<string, unknown>] => {
    const { outside, publisher, how = 'through its outbox' } = TOPIC_PUBLISHERS[topic];
    const action = outside ? 'receive' : 'send';
    return [
      operationIdOf(action, topic),
      {
        action,
        channel: { $ref: `#/channels/${topic}` },
        summary: outside
          ? `CRM services consume ${topic} events published by ${publisher}.`
          : `${publisher} publishes ${topic} events ${how}.`,
        messages: EVENT_CATALOG.filter((d) => d.topic === topic)
          .map((d) => d.type)
          .sort()
          .map((type) => ({ $ref: `#/channels/${topic}/messages/${type}` })),
      },
    ];
  });

  const deadLetterChannels = topics.map((topic): [string, Record<string, unknown>] => [
    deadLetterTopicOf(topic),
    {
      address: deadLetterTopicOf(topic),
      title: deadLetterTopicOf(topic),
      description: `Events of ${topic} that a CRM service could not handle.`,
      messages: { [DEAD_LETTER_MESSAGE]: { $ref: `#/components/messages/${DEAD_LETTER_MESSAGE}` } },
      // One partition: few messages, read in the order they failed.
      bindings: {
        kafka: { topic: deadLetterTopicOf(topic), partitions: 1, bindingVersion: KAFKA_BINDING_VERSION },
      },
    },
  ]);
  const deadLetterOperations = topics.map((topic): [string, Record<string, unknown>] => [
    operationIdOf('send', deadLetterTopicOf(topic)),
    {
      action: 'send',
      channel: { $ref: `#/channels/${deadLetterTopicOf(topic)}` },
      summary: `A CRM service consuming ${topic} sends what it cannot handle here, with the reason, and goes on.`,
      messages: [{ $ref: `#/channels/${deadLetterTopicOf(topic)}/messages/${DEAD_LETTER_MESSAGE}` }],
    },
  ]);

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Bank CRM events',
      version: '1.0.0',
      description: [
        'Events core banking publishes to the CRM and events the CRM publishes, on Kafka.',
        '',
        '- CloudEvents 1.0, Kafka protocol binding in binary mode: attributes as ce_* headers, the payload as the JSON value.',
        '- Message key = ce_subject = the customer id (institution or manager id for organisation events).',
        '- Event types are versioned wire names (`.v1`); a breaking change is a new type.',
        `- Money is {amount, currency} with the amount a decimal string (${DECIMAL_AMOUNT.source}), never a JSON number.`,
        '- Dates are YYYY-MM-DD business days; timestamps are RFC 3339 with a zone offset (China Standard Time at source).',
        '- Every topic has a `<topic>.dlq` dead-letter topic carrying dlq_* headers with the reason.',
        '- Consumers must tolerate properties they do not know.',
        '',
        'Generated from libs/contracts by tools/asyncapi/generate-asyncapi.ts: do not edit by hand.',
      ].join('\n'),
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local single-broker stack (deploy/local).',
      },
    },
    channels: byKey([...channels, ...deadLetterChannels]),
    operations: byKey([...operations, ...deadLetterOperations]),
    components: {
      messages: byKey([...messages, [DEAD_LETTER_MESSAGE, deadLetterMessage()]]),
      schemas: byKey([...schemas]),
    },
  };
}
