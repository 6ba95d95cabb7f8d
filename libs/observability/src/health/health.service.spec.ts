import { Logger } from '@nestjs/common';
import { HealthService } from './health.service';

const up = async () => undefined;
const down = async () => {
  throw new Error('connection refused');
};
const hangs = () => new Promise<void>(() => undefined);

describe('HealthService.readiness', () => {
  // Failed checks are logged by design; keep the test output clean.
  beforeAll(() => Logger.overrideLogger(false));

  it('is ok when every check passes', async () => {
    const health = new HealthService({ checks: { postgres: up, redis: up } });
    await expect(health.readiness()).resolves.toEqual({
      status: 'ok',
      checks: { postgres: 'up', redis: 'up' },
    });
  });

  it('names the check that failed', async () => {
    const health = new HealthService({ checks: { postgres: up, redis: down } });
    await expect(health.readiness()).resolves.toEqual({
      status: 'down',
      checks: { postgres: 'up', redis: 'down' },
    });
  });

  it('counts a check that outlives its timeout as down', async () => {
    const health = new HealthService({ checks: { kafka: hangs }, timeoutMs: 20 });
    await expect(health.readiness()).resolves.toEqual({ status: 'down', checks: { kafka: 'down' } });
  });

  it('reports shutting-down once the application is stopping', async () => {
    const health = new HealthService({ checks: { postgres: up } });
    health.beforeApplicationShutdown();
    await expect(health.readiness()).resolves.toMatchObject({ status: 'shutting-down' });
  });
});
