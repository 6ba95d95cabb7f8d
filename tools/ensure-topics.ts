// Creates every topic of the contracts (and its dead-letter topic) on the configured broker.
import { ALL_TOPICS } from '@crm/contracts';
import { createKafka, ensureTopics } from '@crm/messaging';

async function main(): Promise<void> {
  const kafka = createKafka(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', 'ensure-topics');
  const created = await ensureTopics(kafka, ALL_TOPICS);
  console.log(
    created.length
      ? `    created ${created.join(', ')}`
      : `    all ${ALL_TOPICS.length} topics and their .dlq exist`,
  );
}

main().catch((error) => {
  console.error(`ensure-topics: ${String(error)}`);
  process.exit(1);
});
