import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { DEFAULT_BANK_TIME_ZONE } from '@crm/calendar';
import { ConfigRule, EnvBoolean, ReadableFile } from './config-rules';
import { hasPublishedPassword, isPublishedOrWeakKey } from './published-dev-secrets';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const BROKER_LIST = /^[\w.-]+:\d{2,5}(,[\w.-]+:\d{2,5})*$/;
const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

export const KAFKA_SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** Who may open the Swagger console (`/docs`, `/docs-json`): anyone, holders of a valid access token, or nobody. */
export const SWAGGER_CONSOLE_MODES = ['public', 'authenticated', 'off'] as const;
export type SwaggerConsoleMode = (typeof SWAGGER_CONSOLE_MODES)[number];

const inProduction = (config: { NODE_ENV: string }): boolean => config.NODE_ENV === 'production';
const isSet = (value: unknown): boolean => value !== undefined;

/**
 * Settings every service shares; each app extends it with its own.
 * Every property carries an explicit type: SWC emits design:type from annotations only, and env conversion follows it.
 */
export class ServiceConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** The IANA zone the bank keeps its books in: business dates, "today", month boundaries. */
  @IsTimeZone()
  BANK_TIME_ZONE: string = DEFAULT_BANK_TIME_ZONE;

  @Matches(BROKER_LIST, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  /** TLS to the brokers; the CA file is needed only when the brokers' certificates are not from a public CA. */
  @EnvBoolean()
  KAFKA_SSL: boolean = false;

  @ReadableFile()
  @ConfigRule<ServiceConfig>((v, c) => !isSet(v) || c.KAFKA_SSL === true, 'needs KAFKA_SSL=true')
  KAFKA_SSL_CA_FILE?: string;

  /** Client certificate and key (PEM) for brokers that authenticate clients by certificate. */
  @ReadableFile()
  @ConfigRule<ServiceConfig>((v, c) => !isSet(v) || c.KAFKA_SSL === true, 'needs KAFKA_SSL=true')
  @ConfigRule<ServiceConfig>(
    (v, c) => isSet(v) === isSet(c.KAFKA_SSL_KEY_FILE),
    'and KAFKA_SSL_KEY_FILE are set together or not at all',
  )
  KAFKA_SSL_CERT_FILE?: string;

  @ReadableFile()
  @ConfigRule<ServiceConfig>((v, c) => !isSet(v) || c.KAFKA_SSL === true, 'needs KAFKA_SSL=true')
  @ConfigRule<ServiceConfig>(
    (v, c) => isSet(v) === isSet(c.KAFKA_SSL_CERT_FILE),
    'and KAFKA_SSL_CERT_FILE are set together or not at all',
  )
  KAFKA_SSL_KEY_FILE?: string;

  /** SASL authentication to the brokers; `plain` sends the password as is, so production needs KAFKA_SSL with it. */
  @ConfigRule<ServiceConfig>(
    (v) => !isSet(v) || (KAFKA_SASL_MECHANISMS as readonly unknown[]).includes(v),
    `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`,
  )
  @ConfigRule<ServiceConfig>(
    (v, c) => v !== 'plain' || !inProduction(c) || c.KAFKA_SSL === true,
    'plain sends the password in clear: in production it needs KAFKA_SSL=true (or use scram-sha-512)',
  )
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  @ConfigRule<ServiceConfig>(
    (v, c) => isSet(v) === isSet(c.KAFKA_SASL_MECHANISM),
    'is needed with KAFKA_SASL_MECHANISM, and only with it',
  )
  @ConfigRule<ServiceConfig>(
    (v) => !isSet(v) || (typeof v === 'string' && v.trim() !== ''),
    'must not be blank',
  )
  KAFKA_SASL_USERNAME?: string;

  @ConfigRule<ServiceConfig>(
    (v, c) => isSet(v) === isSet(c.KAFKA_SASL_MECHANISM),
    'is needed with KAFKA_SASL_MECHANISM, and only with it',
  )
  KAFKA_SASL_PASSWORD?: string;

  /** Put before every topic name (e.g. `test.run42.`): lets tests and parallel environments share a broker. */
  @Matches(/^([a-z0-9][a-z0-9_-]*\.)*$/, {
    message: "must be empty or dot-terminated segments, e.g. 'staging.'",
  })
  KAFKA_TOPIC_PREFIX: string = '';

  /**
   * Consumers apply up to this many consecutive events of a lane in one database transaction, so a commit's
   * fsync and a batch's shared reads are paid once per fetch and lane rather than once per event: about one
   * lane's share of a full fetch in a catch-up, 3-10× the catch-up rate of one per event
   * (docs/benchmarks/consumer-catch-up.md, alerts.md). A live stream's transactions stay as small as what
   * arrived. 1: one transaction per event.
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_EVENTS_PER_TRANSACTION: number = 1000;
}

/** A service with storage, an HTTP API and a security context. */
export class HttpServiceConfig extends ServiceConfig {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  @ConfigRule<HttpServiceConfig>(
    (v, c) => !inProduction(c) || typeof v !== 'string' || !hasPublishedPassword(v),
    'holds the password published in docker-compose.yml: refused in production',
  )
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/crm';

  /**
   * The service's own schema in that database: each service's config names its default, tests a
   * throw-away one. Optional here only for configs of processes without storage.
   */
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, {
    message: 'must be lower-case letters, digits and _, starting with a letter',
  })
  @IsOptional()
  DATABASE_SCHEMA?: string;

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Put before every Redis key of the service, so tests and environments can share one Redis. */
  @IsString()
  @Matches(/^([a-z0-9_.-]+:)*$/, { message: "must be empty or ':'-terminated segments, e.g. 'alert:'" })
  REDIS_KEY_PREFIX: string = '';

  @IsString()
  @IsNotEmpty()
  JWT_ISSUER: string = 'bank-crm-dev';

  @IsString()
  @IsNotEmpty()
  JWT_AUDIENCE: string = 'bank-crm';

  /**
   * The OIDC provider's key set (e.g. Keycloak's `…/realms/<realm>/protocol/openid-connect/certs`):
   * tokens are then verified by RS256 or ES256 against its keys. Required in production.
   */
  @ConfigRule<HttpServiceConfig>(
    (v, c) => isSet(v) || !inProduction(c),
    'is required in production: tokens are verified against the OIDC provider, never a shared secret',
  )
  @ConfigRule<HttpServiceConfig>(
    (v, c) => !isSet(v) || isHttpUrl(v, inProduction(c) ? ['https:'] : ['https:', 'http:']),
    'must be an https:// URL (http:// is accepted outside production)',
  )
  JWT_JWKS_URL?: string;

  /**
   * HS256 secret of the local dev issuer (`npm run token`). Whoever holds it can mint any token,
   * so it is refused in production and beside JWT_JWKS_URL.
   */
  @ConfigRule<HttpServiceConfig>(
    (v, c) => isSet(v) || isSet(c.JWT_JWKS_URL) || inProduction(c),
    'is missing: set it (32+ characters) for the dev issuer, or set JWT_JWKS_URL',
  )
  @ConfigRule<HttpServiceConfig>(
    (v) => !isSet(v) || (typeof v === 'string' && v.length >= 32),
    'must be at least 32 characters',
  )
  @ConfigRule<HttpServiceConfig>(
    (v, c) => !isSet(v) || !isSet(c.JWT_JWKS_URL),
    'must not be set with JWT_JWKS_URL: a shared secret would let its holders mint tokens',
  )
  @ConfigRule<HttpServiceConfig>(
    (v, c) => !isSet(v) || !inProduction(c),
    'is refused in production (a shared HS256 secret lets its holders mint tokens): set JWT_JWKS_URL instead',
  )
  JWT_SECRET?: string;

  /**
   * The OIDC provider's token endpoint, where this service gets its own access token (client
   * credentials grant) for calls to other services. Unset in development: the dev issuer signs one.
   */
  @ConfigRule<HttpServiceConfig>(
    (v, c) => !isSet(v) || isHttpUrl(v, inProduction(c) ? ['https:'] : ['https:', 'http:']),
    'must be an https:// URL (http:// is accepted outside production)',
  )
  @ConfigRule<HttpServiceConfig>(
    (v, c) => isSet(v) === (isSet(c.SERVICE_CLIENT_ID) && isSet(c.SERVICE_CLIENT_SECRET)),
    'SERVICE_TOKEN_URL, SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET are set together or not at all',
  )
  SERVICE_TOKEN_URL?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  SERVICE_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  SERVICE_CLIENT_SECRET?: string;

  /** base64 of 32 random bytes: AES-256-GCM key for ID and phone numbers at rest. */
  @Matches(BASE64_32_BYTES, { message: 'must be base64 of exactly 32 bytes' })
  @ConfigRule<HttpServiceConfig>(
    (v, c) => !inProduction(c) || typeof v !== 'string' || !isPublishedOrWeakKey(v),
    'is a published dev key or not random: refused in production (generate one: head -c 32 /dev/urandom | base64)',
  )
  PII_ENCRYPTION_KEY!: string;

  /** base64 of 32 random bytes: HMAC key for exact-match lookup of encrypted fields. */
  @Matches(BASE64_32_BYTES, { message: 'must be base64 of exactly 32 bytes' })
  @ConfigRule<HttpServiceConfig>(
    (v, c) => !inProduction(c) || typeof v !== 'string' || !isPublishedOrWeakKey(v),
    'is a published dev key or not random: refused in production (generate one: head -c 32 /dev/urandom | base64)',
  )
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

  /** Who may open `/docs`; unset: `public` outside production, `off` in production (see swaggerConsoleOf). */
  @ConfigRule<HttpServiceConfig>(
    (v) => !isSet(v) || (SWAGGER_CONSOLE_MODES as readonly unknown[]).includes(v),
    `must be one of ${SWAGGER_CONSOLE_MODES.join(', ')}`,
  )
  SWAGGER_CONSOLE?: SwaggerConsoleMode;
}

/** A service that also serves gRPC (contracts in libs/contracts/proto). */
export class GrpcServiceConfig extends HttpServiceConfig {
  @IsInt()
  @Min(1)
  @Max(65535)
  GRPC_PORT: number = 50051;

  /** PEM certificate chain and key of the gRPC server; without them gRPC is plaintext (refused in production). */
  @ReadableFile()
  @ConfigRule<GrpcServiceConfig>(
    (v, c) => isSet(v) === isSet(c.GRPC_TLS_KEY_FILE),
    'and GRPC_TLS_KEY_FILE are set together or not at all',
  )
  @ConfigRule<GrpcServiceConfig>(
    (v, c) => isSet(v) || !inProduction(c) || c.GRPC_ALLOW_PLAINTEXT,
    'is required in production (or GRPC_ALLOW_PLAINTEXT=true where a service mesh encrypts the traffic)',
  )
  GRPC_TLS_CERT_FILE?: string;

  @ReadableFile()
  @ConfigRule<GrpcServiceConfig>(
    (v, c) => isSet(v) === isSet(c.GRPC_TLS_CERT_FILE),
    'and GRPC_TLS_CERT_FILE are set together or not at all',
  )
  GRPC_TLS_KEY_FILE?: string;

  /** PEM CA bundle: when set, clients must present a certificate it signed (mutual TLS). */
  @ReadableFile()
  @ConfigRule<GrpcServiceConfig>(
    (v, c) => !isSet(v) || isSet(c.GRPC_TLS_CERT_FILE),
    'needs GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE',
  )
  GRPC_TLS_CLIENT_CA_FILE?: string;

  /** Production only: serve gRPC without TLS, for a mesh (e.g. Istio mTLS) that encrypts it outside the process. */
  @EnvBoolean()
  GRPC_ALLOW_PLAINTEXT: boolean = false;
}

/** The Swagger console mode in effect: as set, else open during development and closed in production. */
export function swaggerConsoleOf(config: HttpServiceConfig): SwaggerConsoleMode {
  return config.SWAGGER_CONSOLE ?? (inProduction(config) ? 'off' : 'public');
}

function isHttpUrl(value: unknown, protocols: string[]): boolean {
  if (typeof value !== 'string') return false;
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
