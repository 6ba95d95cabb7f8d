import { randomUUID } from 'node:crypto';
import { EventHeaders, EventTypes, Topics, deadLetterTopicOf, type AlertRaisedPayload } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { EventProbe, testStack, until } from '@crm/testing';
import { buildScenario, KafkaEventSink, type ScenarioRun, SCENARIOS } from '@crm/corebank-simulation';
import { ALERT_SERVICE } from './service';
import { alertKeyOf, expectedAlertsOf, storedAlertsOf } from './testing/scenario-alerts.fixture';

/** The simulator's stories through the real broker into the alert service: exactly the declared alerts. */
describe('alert service end to end: simulator → Kafka → alert-service → Postgres and crm.alert', () => {
  const harness = new ServiceHarness(ALERT_SERVICE, { name: 'pipeline' });
  let sink: KafkaEventSink;
  let alertProbe: EventProbe;
  let dlqProbe: EventProbe;
  // Ids of every event published: a repeated id is deduplicated, so it adds no processed_event row.
  const published = new Set<string>();
  // Wall-clock now: reminders not yet due by event time are also not due by the wall clock during the test.
  const start = Date.now();

  const storedFor = (customerIds: string[]) => storedAlertsOf(harness, customerIds);

  const publish = async (runs: ScenarioRun[]) => {
    for (const run of runs) await sink.publish(run.events);
    for (const run of runs) for (const event of run.events) published.add(event.id);
  };

  /** Everything published so far has been handled (or dead-lettered), so no alert is still on its way. */
  const drained = () =>
    until(
      () => harness.appliedCount([...published]),
      (n) => n >= published.size,
      90_000,
    );

  beforeAll(async () => {
    await harness.start();
    sink = new KafkaEventSink({ brokers: testStack.kafkaBrokers, topicPrefix: harness.topicPrefix });
    alertProbe = await EventProbe.start(harness.kafka, `${harness.topicPrefix}${Topics.CrmAlert}`);
    dlqProbe = await EventProbe.start(
      harness.kafka,
      deadLetterTopicOf(`${harness.topicPrefix}${Topics.CorebankTransaction}`),
    );
  }, 60_000);

  afterAll(async () => {
    await alertProbe?.stop();
    await dlqProbe?.stop();
    await sink?.close();
    await harness.destroy();
  }, 60_000);

  it('raises exactly the alerts every scenario declares, no more, stored and emitted once each', async () => {
    const runs = SCENARIOS.map((s) => buildScenario(s.name, { seed: 7, start }));
    const customers = runs.flatMap((r) => r.customerIds);
    const expected = expectedAlertsOf(runs);
    expect(expected.length).toBeGreaterThanOrEqual(14);
    await publish(runs);

    await drained();
    const stored = await until(
      () => storedFor(customers),
      (s) => s.length >= expected.length,
    );
    expect(stored).toEqual(expected);

    const emitted = await until(
      async () => alertProbe.messages.map((m) => JSON.parse(m.value ?? '{}') as AlertRaisedPayload),
      (list) => list.length >= expected.length,
    );
    expect(emitted.map((a) => alertKeyOf(a)).sort()).toEqual(expected);
    expect(alertProbe.messages.every((m) => m.headers[EventHeaders.Type] === EventTypes.AlertRaised)).toBe(
      true,
    );
  }, 120_000);

  it('raises nothing new when the same facts are delivered again, even under new event ids', async () => {
    const run = buildScenario('split-large-inflow', { seed: 7, start });
    const before = await storedFor(run.customerIds);
    const emittedBefore = alertProbe.messages.length;
    // Same events (deduplicated by id), then the same facts re-sent by core banking with fresh ids.
    await publish([run, { ...run, events: run.events.map((e) => ({ ...e, id: randomUUID() })) }]);
    await drained();
    expect(await storedFor(run.customerIds)).toEqual(before);
    expect(before).toEqual(expectedAlertsOf([run]));
    expect(alertProbe.messages.length).toBe(emittedBefore);
  }, 120_000);

  it('still raises exactly the declared alerts when Redis is wiped in the middle of a story', async () => {
    const runs = ['money-draining-to-other-banks', 'split-large-inflow', 'card-large-spend-then-overdue'].map(
      (name) => buildScenario(name, { seed: 8, start: start + 1_000 }),
    );
    const halves = runs.map((r) => {
      const cut = Math.floor(r.events.length * 0.7);
      return [
        { ...r, events: r.events.slice(0, cut) },
        { ...r, events: r.events.slice(cut) },
      ];
    });
    await publish(halves.map(([first]) => first));
    await drained();
    expect(await harness.wipeRedis()).toBeGreaterThan(0);
    await publish(halves.map(([, second]) => second));
    await drained();
    const customers = runs.flatMap((r) => r.customerIds);
    expect(
      await until(
        () => storedFor(customers),
        (s) => s.length >= expectedAlertsOf(runs).length,
      ),
    ).toEqual(expectedAlertsOf(runs));
  }, 120_000);

  it('still raises exactly the declared alerts across a restart of the service in the middle of a story', async () => {
    const runs = ['loan-overdue-and-downgrade', 'split-large-inflow'].map((name) =>
      buildScenario(name, { seed: 10, start: start + 3_000 }),
    );
    const cut = (r: ScenarioRun) => Math.floor(r.events.length / 2);
    await publish(runs.map((r) => ({ ...r, events: r.events.slice(0, cut(r)) })));
    await drained();
    await harness.stop();
    await publish(runs.map((r) => ({ ...r, events: r.events.slice(cut(r)) })));
    await harness.start();
    await drained();
    const customers = runs.flatMap((r) => r.customerIds);
    expect(
      await until(
        () => storedFor(customers),
        (s) => s.length >= expectedAlertsOf(runs).length,
      ),
    ).toEqual(expectedAlertsOf(runs));
  }, 120_000);

  it('sends a malformed event to the dead-letter topic with the reason, and goes on with the stream', async () => {
    const topic = `${harness.topicPrefix}${Topics.CorebankTransaction}`;
    const producer = harness.kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        {
          key: 'C-POISON',
          value: JSON.stringify({ transactionId: 'T-POISON', amount: { amount: 'lots', currency: 'CNY' } }),
          headers: {
            [EventHeaders.Id]: randomUUID(),
            [EventHeaders.Source]: '/test',
            [EventHeaders.Type]: EventTypes.TransactionPosted,
            [EventHeaders.SpecVersion]: '1.0',
            [EventHeaders.Time]: new Date().toISOString(),
            [EventHeaders.Subject]: 'C-POISON',
          },
        },
      ],
    });
    await producer.disconnect();
    const run = buildScenario('large-inflow', { seed: 9, start: start + 2_000 });
    await publish([run]);

    const dead = await dlqProbe.waitFor((m) => m.key === 'C-POISON', 60_000);
    expect(dead.headers[EventHeaders.DlqReason]).toMatch(/amount/);
    expect(
      await until(
        () => storedFor(run.customerIds),
        (s) => s.length >= 1,
      ),
    ).toEqual(expectedAlertsOf([run]));
  }, 120_000);
});
