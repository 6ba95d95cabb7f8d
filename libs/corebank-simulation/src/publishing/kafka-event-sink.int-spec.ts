import { TOPIC_PARTITIONS, deadLetterTopicOf, eventDefinitionOf, fromKafkaMessage } from '@crm/contracts';
import { EventProbe, eventually, testKafka, testStack, uniqueSuffix } from '@crm/testing';
import { buildScenario } from '../scenarios/scenario.registry';
import { KafkaEventSink } from './kafka-event-sink';

describe('KafkaEventSink against the real broker', () => {
  const prefix = `test.sim-${uniqueSuffix()}.`;
  const kafka = testKafka();
  const run = buildScenario('card-large-spend-then-overdue', { seed: 42, start: Date.now() });
  const topics = [...new Set(run.events.map((e) => `${prefix}${eventDefinitionOf(e.type)!.topic}`))].sort();
  const sink = new KafkaEventSink({
    brokers: testStack.kafkaBrokers,
    topicPrefix: prefix,
    clientId: `sim-it-${uniqueSuffix()}`,
  });
  let probe: EventProbe | undefined;

  afterAll(async () => {
    await sink.close();
    await probe?.stop();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [...topics, ...topics.map(deadLetterTopicOf)] });
    } finally {
      await admin.disconnect();
    }
  }, 30_000);

  it("creates each topic and its dead-letter topic, publishes a scenario, and every event reads back intact and in the customer's order", async () => {
    // Two batches: the second finds its topics already made and must not fail on them.
    await sink.publish(run.events.slice(0, 4));
    await sink.publish(run.events.slice(4));

    const admin = kafka.admin();
    await admin.connect();
    try {
      // Under load a KRaft broker can answer "unknown topic" for a moment after creating it.
      const { topics: metadata } = await eventually(() =>
        admin.fetchTopicMetadata({ topics: [...topics, ...topics.map(deadLetterTopicOf)] }),
      );
      expect(metadata.map((t) => t.name).sort()).toEqual(
        [...topics, ...topics.map(deadLetterTopicOf)].sort(),
      );
      for (const topic of metadata) {
        expect(topic.partitions).toHaveLength(topic.name.endsWith('.dlq') ? 1 : TOPIC_PARTITIONS);
      }
    } finally {
      await admin.disconnect();
    }

    probe = await EventProbe.start(kafka, topics);
    const received = await probe.waitForCount(() => true, run.events.length, 30_000);
    expect(new Set(received.map((m) => m.headers.ce_id)).size).toBe(run.events.length);

    const sent = new Map(run.events.map((e) => [e.id, e]));
    for (const message of received) {
      const envelope = fromKafkaMessage(message.headers, message.value);
      const original = sent.get(envelope.id)!;
      expect(envelope).toEqual(original);
      expect(message.key).toBe(original.subject);
      expect(message.topic).toBe(`${prefix}${eventDefinitionOf(original.type)!.topic}`);
    }

    // One customer, one key: on each customer topic the events sit on one partition in publication order.
    for (const topic of topics.filter((t) => !t.endsWith('corebank.organisation'))) {
      const onTopic = received.filter((m) => m.topic === topic);
      expect(new Set(onTopic.map((m) => m.partition)).size).toBe(1);
      const readOrder = [...onTopic]
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((m) => m.headers.ce_id);
      const publishOrder = run.events
        .filter((e) => `${prefix}${eventDefinitionOf(e.type)!.topic}` === topic)
        .map((e) => e.id);
      expect(readOrder).toEqual(publishOrder);
    }
  });
});
