import { Kafka } from 'kafkajs';
import { deadLetterTopicOf } from '@crm/contracts';
import { uniqueSuffix } from './test-stack';

export interface TestTopic {
  topic: string;
  dlq: string;
  delete(): Promise<void>;
}

/** A fresh topic and its dead-letter topic for one test file. */
export async function createTestTopic(kafka: Kafka, prefix: string, partitions = 3): Promise<TestTopic> {
  const topic = `test.${prefix}.${uniqueSuffix()}`;
  const dlq = deadLetterTopicOf(topic);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        { topic, numPartitions: partitions, replicationFactor: 1 },
        { topic: dlq, numPartitions: 1, replicationFactor: 1 },
      ],
    });
    await untilMetadataServed(() => admin.fetchTopicMetadata({ topics: [topic, dlq] }));
  } finally {
    await admin.disconnect();
  }
  return {
    topic,
    dlq,
    async delete() {
      const cleanup = kafka.admin();
      await cleanup.connect();
      try {
        await cleanup.deleteTopics({ topics: [topic, dlq] });
      } finally {
        await cleanup.disconnect();
      }
    },
  };
}

/** A KRaft broker applies a created topic's metadata a moment after acknowledging it. */
async function untilMetadataServed(fetch: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Deletes every topic whose name starts with `prefix` (a test file's KAFKA_TOPIC_PREFIX). */
export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  if (!prefix.startsWith('test.')) throw new Error(`refusing to delete topics outside test.*: '${prefix}'`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
