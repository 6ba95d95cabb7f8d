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
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerModule,
  ThrottlerModuleOptions,
  ThrottlerOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import Redis from 'ioredis';
import { HttpServiceConfig } from '@crm/config';
import { AuthenticatedRequest, AuthenticatedUser, Permission, hasPermission } from '@crm/security';
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
 * The same limits for entry points the HTTP guard does not see (gRPC): counts one call of the
 * principal against the named limit, on the counter the HTTP routes of that limit use.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @InjectThrottlerOptions() private readonly options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {}

  /** `retryAfterSeconds` is set when the call is over the limit. */
  async consume(name: RateLimitName, user: AuthenticatedUser): Promise<{ retryAfterSeconds?: number }> {
    const throttlers = Array.isArray(this.options) ? this.options : this.options.throttlers;
    const throttler = throttlers.find((t) => t.name === name);
    if (!throttler) return {};
    const ttl = Number(throttler.ttl);
    const record = await this.storage.increment(
      `${name}:user:${user.userId}`,
      ttl,
      Number(throttler.limit),
      ttl,
      name,
    );
    return record.isBlocked ? { retryAfterSeconds: Math.max(record.timeToBlockExpire, 1) } : {};
  }
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
      global: true,
      providers: [RateLimiter],
      exports: [RateLimiter],
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
