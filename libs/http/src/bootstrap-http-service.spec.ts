import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { ConfigModule, HttpServiceConfig, loadConfig } from '@crm/config';
import { HealthModule, MetricsModule } from '@crm/observability';
import { Public, Role, SecurityModule, signDevToken } from '@crm/security';
import { bootstrapHttpService } from './bootstrap-http-service';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

@Controller('greetings')
class GreetingController {
  @Public()
  @Get()
  greet(): { greeting: string } {
    return { greeting: '您好' };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot(HttpServiceConfig),
    SecurityModule.forRoot(),
    MetricsModule,
    HealthModule.forRoot({ checks: {} }),
  ],
  controllers: [GreetingController],
})
class GreetingModule {}

describe('bootstrapHttpService', () => {
  const saved = { ...process.env };
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    Object.assign(process.env, {
      PORT: String(port),
      LOG_LEVEL: 'silent',
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PII_HASH_KEY: randomBytes(32).toString('base64'),
    });
    app = await bootstrapHttpService(GreetingModule, {
      serviceName: 'greeting-service',
      config: loadConfig(HttpServiceConfig),
    });
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app.close();
    process.env = saved;
  });

  it('listens on config.PORT with the API under /api/v1 and ops routes at the root', async () => {
    const greeting = await fetch(`${base}/api/v1/greetings`);
    expect(greeting.status).toBe(200);
    expect(await greeting.json()).toEqual({ greeting: '您好' });
    expect((await fetch(`${base}/greetings`)).status).toBe(404);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/docs-json`)).status).toBe(200);
  });

  it('answers errors as problem details', async () => {
    const response = await fetch(`${base}/api/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('the Swagger console of a bootstrapped service', () => {
  const saved = { ...process.env };
  const keys = () => ({
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
  });

  /** Boots GreetingModule with this environment and answers the console's paths. */
  async function consoleStatuses(
    env: Record<string, string>,
    token?: string,
    paths = ['docs', 'docs-json'],
  ): Promise<number[]> {
    const port = await freePort();
    process.env = { ...saved, ...env, PORT: String(port), LOG_LEVEL: 'silent' };
    const app = await bootstrapHttpService(GreetingModule, {
      serviceName: 'greeting-service',
      config: loadConfig(HttpServiceConfig),
    });
    try {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return await Promise.all(
        paths.map(async (path) => (await fetch(`http://127.0.0.1:${port}/${path}`, { headers })).status),
      );
    } finally {
      await app.close();
      process.env = saved;
    }
  }

  it('is off in production unless SWAGGER_CONSOLE asks for it', async () => {
    const production = {
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://sso.bank.test/realms/crm/protocol/openid-connect/certs',
      ...keys(),
    };
    expect(await consoleStatuses(production)).toEqual([404, 404]);
    expect(await consoleStatuses({ ...production, SWAGGER_CONSOLE: 'public' })).toEqual([200, 200]);
  });

  it('asks for a valid access token when SWAGGER_CONSOLE=authenticated', async () => {
    const env = { JWT_SECRET: randomBytes(32).toString('hex'), SWAGGER_CONSOLE: 'authenticated', ...keys() };
    const token = signDevToken(
      { sub: 'ops', roles: [Role.Analyst], inst: 'INST-0001' },
      { JWT_SECRET: env.JWT_SECRET, JWT_ISSUER: 'bank-crm-dev', JWT_AUDIENCE: 'bank-crm' },
    );
    expect(await consoleStatuses(env)).toEqual([401, 401]);
    expect(await consoleStatuses(env, 'not-a-token')).toEqual([401, 401]);
    // Express routes case-insensitively and ignores a trailing slash: neither is a way round the check.
    expect(
      await consoleStatuses(env, undefined, ['DOCS-JSON', 'docs-json/', 'Docs/', 'docs-yaml?x=1']),
    ).toEqual([401, 401, 401, 401]);
    expect(await consoleStatuses(env, token)).toEqual([200, 200]);
  });
});
