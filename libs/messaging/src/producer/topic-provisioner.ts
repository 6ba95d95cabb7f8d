import { Kafka } from 'kafkajs';
import { TOPIC_PARTITIONS, deadLetterTopicOf } from '@crm/contracts';

/**
 * Creates topics and their dead-letter topics when missing (the broker does not auto-create:
 * a typo in a topic name must fail, not silently make a new topic).
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  options: { partitions?: number; replicationFactor?: number } = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics.flatMap((t) => [t, deadLetterTopicOf(t)]))];
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: topic.endsWith('.dlq') ? 1 : (options.partitions ?? TOPIC_PARTITIONS),
          replicationFactor: options.replicationFactor ?? 1,
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
