// A relay in its own process, so the outbox test can kill it with SIGKILL like a crashed pod.
import { createServiceDataSource } from '@crm/persistence';
import { createKafka } from '../../kafka-client';
import { EventPublisher } from '../../producer/event-publisher';
import { OutboxRelay } from '../outbox.relay';

async function main(): Promise<void> {
  const dataSource = createServiceDataSource({
    schema: process.env.OUTBOX_SCHEMA!,
    url: process.env.DATABASE_URL!,
  });
  await dataSource.initialize();
  const relay = new OutboxRelay(
    dataSource,
    new EventPublisher(createKafka({ KAFKA_BROKERS: process.env.KAFKA_BROKERS! }, 'relay-fixture')),
    {
      pollIntervalMs: 100,
    },
  );
  await relay.start();
  process.stdout.write('relay started\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
