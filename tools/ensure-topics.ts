// Creates every topic of the contracts (and its dead-letter topic) on the configured broker.
import { ALL_TOPICS } from '@crm/contracts';
import { ServiceConfig, loadConfig } from '@crm/config';
import { createKafka, ensureTopics } from '@crm/messaging';

async function main(): Promise<void> {
  const kafka = createKafka(loadConfig(ServiceConfig, process.env, 'ensure-topics'), 'ensure-topics');
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
