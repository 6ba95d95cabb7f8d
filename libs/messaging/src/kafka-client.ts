import { readFileSync } from 'node:fs';
import { Kafka, KafkaConfig, SASLOptions, logLevel } from 'kafkajs';
import { Logger } from '@nestjs/common';
import type { ServiceConfig } from '@crm/config';

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

type SecurityKey =
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SSL_CERT_FILE'
  | 'KAFKA_SSL_KEY_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD';

/** TLS and SASL settings of a validated config (ServiceConfig checks they form a complete set). */
export type KafkaSecuritySettings = Partial<Pick<ServiceConfig, SecurityKey>>;

/** Where the brokers are and how to reach them: a service's ServiceConfig, or just brokers for the local stack. */
export type KafkaConnectionSettings = Pick<ServiceConfig, 'KAFKA_BROKERS'> & KafkaSecuritySettings;

/** kafkajs connection options from the settings: TLS with the PEM files read now, and SASL. */
export function kafkaConnectionOptions(
  settings: KafkaConnectionSettings,
): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> {
  const ssl = sslOf(settings);
  const sasl = saslOf(settings);
  return {
    brokers: settings.KAFKA_BROKERS.split(','),
    ...(ssl !== undefined ? { ssl } : {}),
    ...(sasl ? { sasl } : {}),
  };
}

function sslOf(settings: KafkaSecuritySettings): KafkaConfig['ssl'] {
  if (!settings.KAFKA_SSL) return undefined;
  const { KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key } = settings;
  // Without files the brokers' certificates are checked against the system's CAs.
  if (!ca && !cert) return true;
  return {
    ...(ca ? { ca: [readFileSync(ca, 'utf8')] } : {}),
    ...(cert && key ? { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') } : {}),
  };
}

function saslOf(settings: KafkaSecuritySettings): SASLOptions | undefined {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = settings;
  if (!mechanism || username === undefined || password === undefined) return undefined;
  return { mechanism, username, password } as SASLOptions;
}

/** A kafkajs client whose own log lines go through the service's structured logger. */
export function createKafka(settings: KafkaConnectionSettings, clientId: string): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId,
    ...kafkaConnectionOptions(settings),
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
