import { AssignerProtocol, type Admin } from 'kafkajs';
import { TOPIC_PARTITIONS, Topics, type AlertRaisedPayload } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { EventProbe, testStack, until } from '@crm/testing';
import { buildScenario, KafkaEventSink, type ScenarioRun, SCENARIOS } from '@crm/corebank-simulation';
import { ALERT_SERVICE } from './service';
import { alertKeyOf, expectedAlertsOf, storedAlertsOf } from './testing/scenario-alerts.fixture';

/**
 * Instances scale out by partitions: a second one joins the consumer group while the stream flows, takes
 * part of the partitions, and the first one then leaves. Events in flight across both rebalances are
 * redelivered to whoever owns their partition next; the alerts are still exactly the declared ones, each
 * stored and emitted once.
 */
describe('alert-service instances joining and leaving mid-stream', () => {
  const harness = new ServiceHarness(ALERT_SERVICE, { name: 'scale-out' });
  let sink: KafkaEventSink;
  let alertProbe: EventProbe;
  let admin: Admin;
  const start = Date.now();

  beforeAll(async () => {
    await harness.start();
    sink = new KafkaEventSink({ brokers: testStack.kafkaBrokers, topicPrefix: harness.topicPrefix });
    alertProbe = await EventProbe.start(harness.kafka, `${harness.topicPrefix}${Topics.CrmAlert}`);
    admin = harness.kafka.admin();
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.disconnect();
    await alertProbe?.stop();
    await sink?.close();
    await harness.destroy();
  }, 60_000);

  /** The members of the service's consumer group and how many partitions of the transaction topic each holds. */
  const transactionPartitionsPerMember = async (): Promise<number[]> => {
    const { groups } = await admin.listGroups();
    const group = groups.find((g) => g.groupId.startsWith(harness.topicPrefix));
    if (!group) return [];
    const [described] = (await admin.describeGroups([group.groupId])).groups;
    const topic = `${harness.topicPrefix}${Topics.CorebankTransaction}`;
    return described.members.map(
      (member) =>
        AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[topic]?.length ?? 0,
    );
  };

  it('shares the partitions between two instances and raises every declared alert once across both rebalances', async () => {
    const runs = SCENARIOS.map((s) => buildScenario(s.name, { seed: 11, start }));
    const events = interleave(runs);
    const expected = expectedAlertsOf(runs);
    const third = Math.ceil(events.length / 3);
    const publishedIds = new Set(events.map((e) => e.id));

    await sink.publish(events.slice(0, third));
    // The second instance joins while the second third is on its way.
    const [second] = await Promise.all([harness.start(), sink.publish(events.slice(third, 2 * third))]);
    const shares = await until(
      transactionPartitionsPerMember,
      (members) => members.length === 2 && members.every((n) => n > 0),
      30_000,
    );
    expect(shares.reduce((a, b) => a + b, 0)).toBe(TOPIC_PARTITIONS);

    // The first leaves while the last third is on its way: the second takes over all partitions.
    const [first] = harness.instances.filter((app) => app !== second);
    await Promise.all([harness.stopInstance(first), sink.publish(events.slice(2 * third))]);
    expect(
      await until(
        transactionPartitionsPerMember,
        (members) => members.length === 1 && members[0] === TOPIC_PARTITIONS,
        30_000,
      ),
    ).toEqual([TOPIC_PARTITIONS]);

    // The service also applies the AlertRaised events it publishes (for webhooks): only the stream's count.
    await until(
      () => harness.appliedCount([...publishedIds]),
      (n) => n >= publishedIds.size,
      90_000,
    );
    expect(await harness.appliedCount([...publishedIds])).toBe(publishedIds.size);
    expect(
      await storedAlertsOf(
        harness,
        runs.flatMap((r) => r.customerIds),
      ),
    ).toEqual(expected);
    const emitted = await until(
      async () =>
        alertProbe.messages.map((m) => alertKeyOf(JSON.parse(m.value ?? '{}') as AlertRaisedPayload)),
      (list) => list.length >= expected.length,
    );
    // Give a doubled alert time to show up behind the expected ones.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(alertProbe.messages.length).toBe(expected.length);
    expect(emitted.sort()).toEqual(expected);
  }, 180_000);
});

/** The scenarios' events taken in turn, each scenario's in its own order: every third holds some of each. */
function interleave(runs: ScenarioRun[]): ScenarioRun['events'] {
  const events: ScenarioRun['events'] = [];
  const longest = Math.max(...runs.map((r) => r.events.length));
  for (let i = 0; i < longest; i++)
    for (const run of runs) if (i < run.events.length) events.push(run.events[i]);
  return events;
}
