import {
  DynamicModule,
  ExecutionContext,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  SetMetadata,
  UseGuards,
  applyDecorators,
} from '@nestjs/common';
import { ThrottlerModule, ThrottlerOptions } from '@nestjs/throttler';
import Redis from 'ioredis';
import { HttpServiceConfig } from '@crm/config';
import { AuthenticatedRequest, Permission, hasPermission } from '@crm/security';
import { PrincipalThrottlerGuard } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** The per-principal limits (RATE_LIMIT_SEARCH, _REVEAL, _EXPORT over RATE_LIMIT_WINDOW_SECONDS). */
export type RateLimitName = 'search' | 'reveal' | 'export';

const RATE_LIMIT_KEY = 'crm:rate-limit';

/**
 * Counts the route's calls against one of the per-principal limits. `reveal` counts only callers
 * holding pii:read: without it nothing is revealed.
 */
export const RateLimit = (name: RateLimitName): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(RATE_LIMIT_KEY, name), UseGuards(PrincipalThrottlerGuard));

const limitOf = (context: ExecutionContext): RateLimitName | undefined =>
  Reflect.getMetadata(RATE_LIMIT_KEY, context.getHandler()) ??
  Reflect.getMetadata(RATE_LIMIT_KEY, context.getClass());

const callerMayReveal = (context: ExecutionContext): boolean => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  return user !== undefined && hasPermission(user, Permission.PiiRead);
};

/** The Redis connection of the limits, closed with the app. */
@Injectable()
export class RateLimitRedis implements OnApplicationShutdown {
  readonly client: Redis;

  constructor(@Inject(HttpServiceConfig) config: HttpServiceConfig) {
    // Fail fast rather than queue: a request waits on its limit only as long as Redis answers.
    this.client = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

@Module({ providers: [RateLimitRedis], exports: [RateLimitRedis] })
class RateLimitRedisModule {}

export function rateLimitThrottlers(config: HttpServiceConfig): ThrottlerOptions[] {
  const ttl = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const only = (name: RateLimitName) => (context: ExecutionContext) => limitOf(context) !== name;
  return [
    { name: 'search', ttl, limit: config.RATE_LIMIT_SEARCH, skipIf: only('search') },
    {
      name: 'reveal',
      ttl,
      limit: config.RATE_LIMIT_REVEAL,
      skipIf: (context) => only('reveal')(context) || !callerMayReveal(context),
    },
    { name: 'export', ttl, limit: config.RATE_LIMIT_EXPORT, skipIf: only('export') },
  ];
}

/**
 * Per-principal rate limits counted in Redis (REDIS_URL), so they hold across instances; routes
 * opt in with `@RateLimit('search' | 'reveal' | 'export')`. Over the limit: 429 problem details
 * with Retry-After.
 */
@Module({})
export class RateLimitModule {
  static forRoot(options: { keyPrefix?: string } = {}): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          imports: [RateLimitRedisModule],
          inject: [HttpServiceConfig, RateLimitRedis],
          useFactory: (config: HttpServiceConfig, redis: RateLimitRedis) => ({
            throttlers: rateLimitThrottlers(config),
            storage: new RedisThrottlerStorage(redis.client, options.keyPrefix),
          }),
        }),
      ],
    };
  }
}
