import { randomUUID } from 'node:crypto';
import {
  CLOUDEVENTS_SPEC_VERSION,
  CustomerKind,
  EventHeaders,
  EventTypes,
  MarketingChannel,
  Topics,
  type AccountOpenedPayload,
  type ContactRequestedPayload,
  type EventEnvelope,
} from '@crm/contracts';
import { EventPublisher, ensureTopics } from '@crm/messaging';
import {
  EventProbe,
  deleteTopicsWithPrefix,
  eventually,
  testKafka,
  testStack,
  uniqueSuffix,
} from '@crm/testing';
import { toTimestamp } from '../core/calendar';
import { buildOrganisation } from '../population/organisation.generator';
import { generatePopulation } from '../population/population.generator';
import { KafkaEventSink } from '../publishing/kafka-event-sink';
import { CampaignResponses } from './campaign-responses';
import { ContactResponder } from './contact-response';
import { directoryOf } from './known-customer';
import { ProductOpener } from './product-opening';

const SEED = 5;
const bank = generatePopulation({ seed: SEED, customers: 30, asOf: '2025-03-03' });
const customer = bank.customers.find((c) => c.profile.kind === CustomerKind.Individual)!.profile;

const contactEvent = (data: Partial<ContactRequestedPayload>): EventEnvelope<object> => ({
  id: randomUUID(),
  source: '/crm/campaign-service',
  type: EventTypes.ContactRequested,
  specversion: CLOUDEVENTS_SPEC_VERSION,
  time: toTimestamp(Date.now()),
  subject: customer.customerId,
  data,
});

const contact = (contactId: string): ContactRequestedPayload => ({
  contactId,
  campaignId: 'CMP-it',
  customerId: customer.customerId,
  channel: MarketingChannel.Sms,
  productCodes: ['TD-12M'],
  message: '一年期定期存款限时优惠',
  institutionId: customer.homeInstitutionId,
  managerId: null,
  dueAt: toTimestamp(Date.now()),
});

/** The simulator answering contact requests on topics of its own, at one response probability. */
function answeringAt(probability: number) {
  const prefix = `test.sim-resp-${uniqueSuffix()}.`;
  const kafka = testKafka();
  const sink = new KafkaEventSink({ brokers: testStack.kafkaBrokers, topicPrefix: prefix });
  const publisher = new EventPublisher(kafka);
  const log: string[] = [];
  const responses = new CampaignResponses({
    kafka,
    topicPrefix: prefix,
    sink,
    log: (line) => log.push(line),
    responder: new ContactResponder({
      seed: SEED,
      directory: directoryOf(bank),
      settings: { probability, withinMs: 0 },
      opener: new ProductOpener(buildOrganisation(SEED), SEED),
    }),
  });
  let probe: EventProbe | undefined;
  return {
    log,
    async start() {
      await responses.start();
      await ensureTopics(kafka, [`${prefix}${Topics.CorebankAccount}`]);
      probe = await EventProbe.start(kafka, `${prefix}${Topics.CorebankAccount}`);
    },
    send: (...events: EventEnvelope<object>[]) =>
      publisher.publish(events.map((envelope) => ({ topic: responses.topic, envelope }))),
    openingsFor: (customerId: string) =>
      probe!.messages.filter(
        (m) =>
          m.headers[EventHeaders.Type] === EventTypes.AccountOpened &&
          (m.json as AccountOpenedPayload).customerId === customerId,
      ),
    waitForOpening: (customerId: string) =>
      probe!.waitFor(
        (m) =>
          m.headers[EventHeaders.Type] === EventTypes.AccountOpened &&
          (m.json as AccountOpenedPayload).customerId === customerId,
        30_000,
      ),
    async stop() {
      const summary = await responses.stop();
      await probe?.stop();
      await publisher.disconnect();
      await sink.close();
      await deleteTopicsWithPrefix(kafka, prefix);
      return summary;
    },
  };
}

const logged = (log: string[], pattern: RegExp) =>
  eventually(async () => log.some((line) => pattern.test(line)));

describe('the simulator answering contact requests on the real broker', () => {
  it('opens the offered product for the contacted customer at probability 1, once, skipping bad requests', async () => {
    const simulator = answeringAt(1);
    try {
      await simulator.start();
      const request = contact(randomUUID());
      const malformed: Partial<ContactRequestedPayload> = { ...contact(randomUUID()), customerId: undefined };
      // A replay of the same request under a new event id must not open a second deposit.
      await simulator.send(contactEvent(malformed), contactEvent(request), contactEvent(request));

      const opened = await simulator.waitForOpening(customer.customerId);
      expect(opened.key).toBe(customer.customerId);
      expect(opened.json).toMatchObject({
        customerId: customer.customerId,
        productCode: 'TD-12M',
        institutionId: customer.homeInstitutionId,
      });
      await logged(simulator.log, new RegExp(`contact ${request.contactId} .*handled already, skipped`));
      await logged(simulator.log, /skipped contact request .*customerId/);
      // The duplicate was handled after the opening was due; give a second opening time to show up.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(simulator.openingsFor(customer.customerId)).toHaveLength(1);
    } finally {
      expect(await simulator.stop()).toBe(
        'Campaign responses: 2 contact requests (1 opens, 1 duplicate-contact); 1 openings published',
      );
    }
  }, 90_000);

  it('opens nothing at probability 0', async () => {
    const simulator = answeringAt(0);
    try {
      await simulator.start();
      const request = contact(randomUUID());
      await simulator.send(contactEvent(request));
      await logged(simulator.log, new RegExp(`contact ${request.contactId} .*declines TD-12M`));
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(simulator.openingsFor(customer.customerId)).toEqual([]);
    } finally {
      expect(await simulator.stop()).toBe(
        'Campaign responses: 1 contact requests (1 declines); 0 openings published',
      );
    }
  }, 90_000);
});
