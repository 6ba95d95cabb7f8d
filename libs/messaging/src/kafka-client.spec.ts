import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceConfig, loadConfig } from '@crm/config';
import { kafkaConnectionOptions } from './kafka-client';

describe('kafkaConnectionOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-client-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const ca = file('ca.pem', 'CA PEM');
  const cert = file('client.pem', 'CLIENT CERT PEM');
  const key = file('client.key', 'CLIENT KEY PEM');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** From the environment through the validated config, as a service gets them. */
  const optionsFor = (env: NodeJS.ProcessEnv) => kafkaConnectionOptions(loadConfig(ServiceConfig, env));

  it('connects in plaintext without credentials by default (the local stack)', () => {
    expect(optionsFor({ KAFKA_BROKERS: 'a:9092,b:9092' })).toEqual({ brokers: ['a:9092', 'b:9092'] });
  });

  it("uses TLS with the system's CAs when only KAFKA_SSL is set", () => {
    expect(optionsFor({ KAFKA_SSL: 'true' })).toEqual({ brokers: ['127.0.0.1:9092'], ssl: true });
  });

  it('reads the CA, client certificate and key files into the TLS options', () => {
    expect(
      optionsFor({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: ca,
        KAFKA_SSL_CERT_FILE: cert,
        KAFKA_SSL_KEY_FILE: key,
      }).ssl,
    ).toEqual({ ca: ['CA PEM'], cert: 'CLIENT CERT PEM', key: 'CLIENT KEY PEM' });
    expect(optionsFor({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca }).ssl).toEqual({ ca: ['CA PEM'] });
  });

  it.each(['scram-sha-256', 'scram-sha-512', 'plain'])('authenticates with SASL %s', (mechanism) => {
    const options = optionsFor({
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USERNAME: 'crm-customer-service',
      KAFKA_SASL_PASSWORD: 'p@ss word',
    });
    expect(options).toEqual({
      brokers: ['127.0.0.1:9092'],
      ssl: true,
      sasl: { mechanism, username: 'crm-customer-service', password: 'p@ss word' },
    });
  });
});
