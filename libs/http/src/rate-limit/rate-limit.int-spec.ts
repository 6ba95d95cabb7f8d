import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Get, INestApplication, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import request from 'supertest';
import { ConfigModule, HttpServiceConfig } from '@crm/config';
import { Permission, Role, SecurityModule, signDevToken } from '@crm/security';
import { createTestApp } from '../http-app';
import { RateLimit, RateLimitModule, RateLimiter } from './rate-limit.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ENV = {
  REDIS_URL,
  JWT_SECRET: randomBytes(32).toString('hex'),
  JWT_ISSUER: 'bank-crm-test',
  JWT_AUDIENCE: 'bank-crm',
  PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
  RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_SEARCH: '3',
  RATE_LIMIT_REVEAL: '2',
  RATE_LIMIT_EXPORT: '1',
};
/** Each run counts under its own keys: the shared Redis keeps other runs' counters for a minute. */
const KEY_PREFIX = `test:rate-limit:${randomUUID()}:`;

@Controller('probe')
class ProbeController {
  @Post('search')
  @RateLimit('search')
  search(): { ok: true } {
    return { ok: true };
  }

  @Get('view')
  @RateLimit('reveal')
  view(): { ok: true } {
    return { ok: true };
  }

  @Get('free')
  free(): { ok: true } {
    return { ok: true };
  }
}

@Module({
  imports: [
    ConfigModule.forRoot(HttpServiceConfig),
    SecurityModule.forRoot(),
    RateLimitModule.forRoot({ keyPrefix: KEY_PREFIX }),
  ],
  controllers: [ProbeController],
})
class ProbeModule {}

const tokenOf = (sub: string, perms: Permission[] = []) =>
  signDevToken({ sub, roles: [Role.RelationshipManager], inst: 'O1', mgr: 'M1', perms }, ENV, 600);

describe('per-principal rate limits in Redis', () => {
  const saved = { ...process.env };
  let first: INestApplication;
  let second: INestApplication;
  let redis: Redis;

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    // Two instances of one service sharing one Redis, as behind a load balancer.
    const start = async () =>
      createTestApp(await Test.createTestingModule({ imports: [ProbeModule] }).compile());
    [first, second] = await Promise.all([start(), start()]);
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    const keys = await redis.keys(`${KEY_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis?.disconnect();
    process.env = saved;
  });

  const search = (app: INestApplication, token: string) =>
    request(app.getHttpServer()).post('/api/v1/probe/search').set('Authorization', `Bearer ${token}`);

  it('holds one limit across two instances, then answers 429 problem details with Retry-After', async () => {
    const alice = tokenOf(`alice-${randomUUID()}`);
    const statuses = [];
    for (const app of [first, second, first]) statuses.push((await search(app, alice)).status);
    expect(statuses).toEqual([201, 201, 201]);

    const refused = await search(second, alice);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((await search(first, alice)).status).toBe(429);
  });

  it('counts calls from outside HTTP (gRPC) on the same counter', async () => {
    const sub = `dave-${randomUUID()}`;
    const limiter = second.get(RateLimiter);
    const dave = { userId: sub, roles: [Role.System], institutionId: 'HO', permissions: [] };
    expect(await limiter.consume('search', dave)).toEqual({});
    await search(first, tokenOf(sub)).expect(201);
    await search(first, tokenOf(sub)).expect(201);
    expect((await limiter.consume('search', dave)).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await search(first, tokenOf(sub)).expect(429);
  });

  it('counts each principal apart, and leaves routes without a limit alone', async () => {
    const bob = tokenOf(`bob-${randomUUID()}`);
    const carol = tokenOf(`carol-${randomUUID()}`);
    for (let i = 0; i < 3; i++) await search(first, bob).expect(201);
    await search(second, bob).expect(429);
    await search(second, carol).expect(201);
    for (let i = 0; i < 5; i++)
      await request(first.getHttpServer())
        .get('/api/v1/probe/free')
        .set('Authorization', `Bearer ${bob}`)
        .expect(200);
  });

  it('limits reveals only for callers who hold pii:read', async () => {
    const view = (app: INestApplication, token: string) =>
      request(app.getHttpServer()).get('/api/v1/probe/view').set('Authorization', `Bearer ${token}`);
    const reader = tokenOf(`reader-${randomUUID()}`, [Permission.PiiRead]);
    const plain = tokenOf(`plain-${randomUUID()}`);
    await view(first, reader).expect(200);
    await view(second, reader).expect(200);
    await view(first, reader).expect(429);
    for (let i = 0; i < 4; i++) await view(i % 2 ? first : second, plain).expect(200);
  });

  it('answers 503 problem details on a limited route while Redis cannot be reached', async () => {
    // Nothing listens on port 1: the client fails at once.
    Object.assign(process.env, { REDIS_URL: 'redis://127.0.0.1:1' });
    const cut = await createTestApp(await Test.createTestingModule({ imports: [ProbeModule] }).compile());
    try {
      const res = await search(cut, tokenOf(`erin-${randomUUID()}`));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 503, code: 'RATE_LIMIT_UNAVAILABLE' });
      await request(cut.getHttpServer())
        .get('/api/v1/probe/free')
        .set('Authorization', `Bearer ${tokenOf('erin')}`)
        .expect(200);
    } finally {
      process.env.REDIS_URL = REDIS_URL;
      await cut.close();
    }
  });

  it('counts concurrent hits atomically: exactly the limit passes', async () => {
    const storage = new RedisThrottlerStorage(redis, KEY_PREFIX);
    const key = `race-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 40 }, () => storage.increment(key, 60_000, 7, 60_000, 'search')),
    );
    expect(results.filter((r) => !r.isBlocked)).toHaveLength(7);
    expect(Math.max(...results.map((r) => r.totalHits))).toBeLessThanOrEqual(40);
  });
});
