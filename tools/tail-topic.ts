// Prints a topic's events as they arrive, one line each: `npm run tail-topic -- corebank.transaction [--from-beginning]`.
import { parseArgs } from 'node:util';
import { EventHeaders } from '@crm/contracts';
import { ServiceConfig, loadConfig } from '@crm/config';
import { createKafka } from '@crm/messaging';
import { decodeHeaders } from '@crm/testing';

const USAGE = 'usage: npm run tail-topic -- <topic> [--from-beginning]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'from-beginning': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const kafka = createKafka(loadConfig(ServiceConfig, process.env, 'tail-topic'), 'tail-topic');
  const consumer = kafka.consumer({ groupId: `tail-topic-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: positionals[0], fromBeginning: values['from-beginning'] });
  process.once('SIGINT', () => void consumer.disconnect().then(() => process.exit(0)));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const h = decodeHeaders(message.headers);
      const reason = h[EventHeaders.DlqReason] ? `  DLQ: ${h[EventHeaders.DlqReason]}` : '';
      console.log(
        `${h[EventHeaders.Time] ?? '-'}  p${partition}  ${h[EventHeaders.Type] ?? '(no type)'}  ${message.key?.toString() ?? ''}  ${message.value?.toString() ?? ''}${reason}`,
      );
    },
  });
}

main().catch((error) => {
  console.error(`tail-topic: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
