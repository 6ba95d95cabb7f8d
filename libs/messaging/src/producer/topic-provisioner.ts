import { Admin, Kafka } from 'kafkajs';
import { TOPIC_PARTITIONS, deadLetterTopicOf } from '@crm/contracts';

export interface TopicOptions {
  partitions?: number;
  /** Default: 3 on a cluster of three brokers or more (two of them in sync for a write), else every broker. */
  replicationFactor?: number;
}

/**
 * Creates topics and their dead-letter topics when missing (the broker does not auto-create:
 * a typo in a topic name must fail, not silently make a new topic). Returns once the broker
 * serves every new topic's metadata with a leader for each partition.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  options: TopicOptions = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics.flatMap((t) => [t, deadLetterTopicOf(t)]))];
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      const replicationFactor =
        options.replicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
      // Our own wait below, not kafkajs's: under load a KRaft broker briefly answers "unknown topic"
      // for a topic it has just created, which kafkajs's wait does not retry.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: topic.endsWith('.dlq') ? 1 : (options.partitions ?? TOPIC_PARTITIONS),
          replicationFactor,
          // A write counts once on two of three copies: a broker may die without losing an acknowledged event.
          configEntries:
            replicationFactor >= 3
              ? [{ name: 'min.insync.replicas', value: String(replicationFactor - 1) }]
              : [],
        })),
      });
      await waitForTopicLeaders(admin, missing);
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

/**
 * A KRaft broker acknowledges CreateTopics once the controller has committed it, and applies the
 * metadata a moment later: until then a metadata request can still answer "unknown topic".
 */
async function waitForTopicLeaders(admin: Admin, topics: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    if (Date.now() >= deadline)
      throw new Error(`topics not ready after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
