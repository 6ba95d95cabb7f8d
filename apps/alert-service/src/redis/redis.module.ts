import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AlertServiceConfig } from '../app.config';

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

/** The service's Redis client for windows (BullMQ opens its own connections). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AlertServiceConfig],
      useFactory: (config: AlertServiceConfig) => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 }),
    },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}
