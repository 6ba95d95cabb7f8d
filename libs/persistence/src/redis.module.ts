import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { HttpServiceConfig } from '@crm/config';

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

/** The service's Redis client (`REDIS_URL`); its keys start with `REDIS_KEY_PREFIX`. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [HttpServiceConfig],
      useFactory: (config: HttpServiceConfig) => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 }),
    },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}

/**
 * Options of a BullMQ queue's or worker's own connections, from `REDIS_URL`. BullMQ needs
 * `maxRetriesPerRequest: null`: its blocking reads then wait out a Redis restart instead of failing.
 */
export function queueConnectionOf(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
