// Proves that kafkajs 2.2.4 works against the local broker (deploy/local/stack.sh up): topic creation,
// idempotent produce with acks=-1, group consume, offset commit and fetch. kafkajs ignores the
// broker's minimum API versions, so this is what tells us a broker upgrade is safe.
import { Admin, Kafka, logLevel, Partitioners } from 'kafkajs';
import { testStack, uniqueSuffix } from './test-stack';

const suffix = uniqueSuffix();
const topic = `it.kafka-broker.${suffix}`;
const groupId = `it-kafka-broker-${suffix}`;
const partitions = 3;
const messageCount = 20;

jest.setTimeout(60_000);

describe('local Kafka broker with kafkajs', () => {
  const kafka = new Kafka({
    clientId: 'kafka-broker-int-spec',
    brokers: testStack.kafkaBrokers,
    logLevel: logLevel.WARN,
  });
  let admin: Admin;
  const producedPerPartition = new Map<number, number>();

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      // kafkajs's own wait gives up on the "unknown topic" a KRaft broker answers under load for a moment
      // after creating one (seen on the container broker in CI): the loop below retries it.
      waitForLeaders: false,
    });
    expect(created).toBe(true);
    for (const deadline = Date.now() + 15_000; ; await new Promise((done) => setTimeout(done, 100))) {
      const served = await admin.fetchTopicMetadata({ topics: [topic] }).catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
      if (served?.topics[0].partitions.every((p) => p.leader >= 0)) break;
      if (Date.now() > deadline) throw new Error(`${topic}: no leader for every partition in 15 s`);
    }
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('produces keyed messages idempotently with acks=-1', async () => {
    // The Java client's murmur2 partitioner; naming it also silences kafkajs' v2 partitioner warning.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      const records = await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: messageCount }, (_, i) => ({
          key: `customer-${i % 7}`,
          value: JSON.stringify({ seq: i }),
        })),
      });
      expect(records.every((r) => r.errorCode === 0)).toBe(true);
    } finally {
      await producer.disconnect();
    }

    // Per-partition counts from the log end offsets (the topic is fresh, so they start at 0).
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
      producedPerPartition.set(partition, Number(high));
    }
    const total = [...producedPerPartition.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(messageCount);
    // Keys are spread by the default partitioner: more than one partition must receive data.
    expect([...producedPerPartition.values()].filter((n) => n > 0).length).toBeGreaterThan(1);
  });

  it('consumes everything in a group and commits the offsets', async () => {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    const seen: number[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              seen.push(JSON.parse(message.value!.toString()).seq);
              await consumer.commitOffsets([
                { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
              ]);
              if (seen.length === messageCount) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: messageCount }, (_, i) => i));

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed.topic).toBe(topic);
    const committedPerPartition = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
    for (const [partition, produced] of producedPerPartition) {
      // A partition that got no messages has no commit (-1).
      expect(committedPerPartition.get(partition)).toBe(produced > 0 ? produced : -1);
    }
  });

  it('gives a second consumer in the same group nothing new', async () => {
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 500,
    });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      // fromBeginning only applies without a committed offset; after joining the group (all three
      // partitions assigned) a few completed fetches show there is nothing after the commits.
      let joined = false;
      let fetchesAfterJoin = 0;
      const fetched = new Promise<void>((resolve) => {
        consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
        consumer.on(consumer.events.FETCH, () => joined && ++fetchesAfterJoin === 3 && resolve());
      });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(message.offset) });
      await fetched;
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual([]);
  });
});
