import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChannelCredentials,
  Metadata,
  ServiceError,
  credentials,
  loadPackageDefinition,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Controller, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import { ConfigModule, GrpcServiceConfig } from '@crm/config';
import { freePort } from '@crm/testing';
import { connectGrpcServer } from './grpc-call';

const dir = mkdtempSync(join(tmpdir(), 'grpc-tls-'));
const PROTO = join(dir, 'echo.proto');
writeFileSync(
  PROTO,
  'syntax = "proto3";\npackage test.echo.v1;\n' +
    'service Echo { rpc Say(SayRequest) returns (SayReply); }\n' +
    'message SayRequest { string text = 1; }\nmessage SayReply { string text = 1; }\n',
);

@Controller()
class EchoController {
  @GrpcMethod('Echo', 'Say')
  say({ text }: { text: string }): { text: string } {
    return { text: `您好 ${text}` };
  }
}

@Module({ imports: [ConfigModule.forRoot(GrpcServiceConfig)], controllers: [EchoController] })
class EchoModule {}

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, a server certificate for localhost and 127.0.0.1, and a client certificate, all signed by the CA. */
function issueCertificates(): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test bank CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const [name, subject, ext] of [
    ['server', '/CN=localhost', ['-extfile', 'server.ext']],
    ['client', '/CN=other-bank-system', []],
  ] as const) {
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      `${name}.pem`,
      ...ext,
    );
  }
}

const pem = (name: string): Buffer => readFileSync(join(dir, name));

interface EchoClient {
  Say(
    request: object,
    metadata: Metadata,
    callback: (e: ServiceError | null, r?: { text: string }) => void,
  ): void;
  close(): void;
}

/** Calls Say as another bank system would; resolves with the reply or the gRPC status code. */
function say(port: number, channel: ChannelCredentials): Promise<string | status> {
  const pkg = loadPackageDefinition(loadSync(PROTO)) as unknown as {
    test: { echo: { v1: { Echo: new (address: string, creds: ChannelCredentials) => EchoClient } } };
  };
  const client = new pkg.test.echo.v1.Echo(`localhost:${port}`, channel);
  return new Promise((resolve) => {
    client.Say({ text: 'bank' }, new Metadata(), (error, reply) => {
      client.close();
      resolve(error ? error.code : reply!.text);
    });
  });
}

describe('connectGrpcServer with TLS from the config', () => {
  const saved = { ...process.env };
  let app: INestApplication | undefined;

  beforeAll(() => issueCertificates());
  afterEach(async () => {
    await app?.close();
    app = undefined;
    process.env = { ...saved };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function serve(env: Record<string, string>): Promise<number> {
    const port = await freePort();
    Object.assign(process.env, {
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PII_HASH_KEY: randomBytes(32).toString('base64'),
      ...env,
    });
    app = await NestFactory.create(EchoModule, { logger: false });
    connectGrpcServer(app, { package: 'test.echo.v1', protoPath: PROTO, port, host: '127.0.0.1' });
    await app.startAllMicroservices();
    return port;
  }

  const trusted = () => credentials.createSsl(pem('ca.pem'));

  it('serves over TLS with GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE, and refuses plaintext clients', async () => {
    const port = await serve({
      GRPC_TLS_CERT_FILE: join(dir, 'server.pem'),
      GRPC_TLS_KEY_FILE: join(dir, 'server.key'),
    });
    expect(await say(port, trusted())).toBe('您好 bank');
    expect(await say(port, credentials.createInsecure())).toBe(status.UNAVAILABLE);
  });

  it('asks for a client certificate signed by GRPC_TLS_CLIENT_CA_FILE (mutual TLS)', async () => {
    const port = await serve({
      GRPC_TLS_CERT_FILE: join(dir, 'server.pem'),
      GRPC_TLS_KEY_FILE: join(dir, 'server.key'),
      GRPC_TLS_CLIENT_CA_FILE: join(dir, 'ca.pem'),
    });
    expect(await say(port, trusted())).toBe(status.UNAVAILABLE);
    const withCertificate = credentials.createSsl(pem('ca.pem'), pem('client.key'), pem('client.pem'));
    expect(await say(port, withCertificate)).toBe('您好 bank');
  });

  it('serves plaintext when no certificate is configured (development)', async () => {
    const port = await serve({});
    expect(await say(port, credentials.createInsecure())).toBe('您好 bank');
  });
});
