import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const BROKER_LIST = /^[\w.-]+:\d{2,5}(,[\w.-]+:\d{2,5})*$/;

/**
 * Settings every service shares; each app extends it with its own.
 * Every property carries an explicit type: SWC emits design:type from annotations only, and env conversion follows it.
 */
export class ServiceConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Matches(BROKER_LIST, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  /** Put before every topic name (e.g. `test.run42.`): lets tests and parallel environments share a broker. */
  @Matches(/^([a-z0-9][a-z0-9_-]*\.)*$/, {
    message: "must be empty or dot-terminated segments, e.g. 'staging.'",
  })
  KAFKA_TOPIC_PREFIX: string = '';

  /**
   * Consumers apply up to this many consecutive events of a partition per database transaction (fewer
   * commits). 1 unless a service sets its own default: longer transactions across partitions can deadlock
   * (Postgres then aborts one and its events are applied one by one), so each service opts in when measured.
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_EVENTS_PER_TRANSACTION: number = 1;
}

/** A service with storage, an HTTP API and a security context. */
export class HttpServiceConfig extends ServiceConfig {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/crm';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @IsString()
  @IsNotEmpty()
  JWT_ISSUER: string = 'bank-crm-dev';

  @IsString()
  @IsNotEmpty()
  JWT_AUDIENCE: string = 'bank-crm';

  /** HS256 secret of the local dev issuer; production verifies the bank's OIDC tokens instead. */
  @IsString()
  @Matches(/^.{32,}$/, { message: 'must be at least 32 characters' })
  JWT_SECRET!: string;

  /** base64 of 32 random bytes: AES-256-GCM key for ID and phone numbers at rest. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'must be base64 of exactly 32 bytes' })
  PII_ENCRYPTION_KEY!: string;

  /** base64 of 32 random bytes: HMAC key for exact-match lookup of encrypted fields. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'must be base64 of exactly 32 bytes' })
  PII_HASH_KEY!: string;

  /** The window of every per-principal rate limit below (counted in Redis, across instances). */
  @IsInt()
  @Min(1)
  @Max(86400)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** Searches one principal may run per window (REST and gRPC together). */
  @IsInt()
  @Min(1)
  @Max(100000)
  RATE_LIMIT_SEARCH: number = 120;

  /** Reads of unmasked personal data (pii:read holders' 360 views, prospects, lookups) per principal and window. */
  @IsInt()
  @Min(1)
  @Max(100000)
  RATE_LIMIT_REVEAL: number = 60;

  /** CSV exports one principal may start per window. */
  @IsInt()
  @Min(1)
  @Max(10000)
  RATE_LIMIT_EXPORT: number = 5;
}
