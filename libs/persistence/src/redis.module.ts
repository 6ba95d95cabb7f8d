import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
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
