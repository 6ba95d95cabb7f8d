import { Kafka, logLevel } from 'kafkajs';
import { Logger } from '@nestjs/common';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'log' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs warns that bounded retries may break exactly-once delivery. Ours is at-least-once by
 * design (the outbox re-sends, consumers deduplicate by event id), so the warning says nothing
 * actionable and would open every service's log.
 */
const EXPECTED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** A kafkajs client whose own log lines go through the service's structured logger. */
export function createKafka(brokers: string, clientId: string): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        if (level === logLevel.WARN && EXPECTED_WARNINGS.has(message)) return;
        logger[LEVEL_NAMES[level] ?? 'log']({ msg: message, ...extra });
      },
  });
}
