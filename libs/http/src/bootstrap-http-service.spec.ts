import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { ConfigModule, HttpServiceConfig, loadConfig } from '@crm/config';
import { HealthModule, MetricsModule } from '@crm/observability';
import { Public, SecurityModule } from '@crm/security';
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
