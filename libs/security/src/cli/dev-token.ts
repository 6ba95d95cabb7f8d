import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { HttpServiceConfig } from '@crm/config';
import { AccessTokenClaims } from '../auth/jwt-claims';
import { ALL_PERMISSIONS, ALL_ROLES, Permission, Role, isPermission, isRole } from '../auth/roles';

export const DEV_TOKEN_USAGE = `Usage: npm run token -- --role <role> --institution <id> [--manager <id>] [--perm <permission>]... [--sub <user>] [--ttl <n>(s|m|h|d)]

  --role         one of ${ALL_ROLES.join(', ')} (repeatable)
  --institution  the user's institution id, e.g. INST-0101
  --manager      the manager id; required with --role relationship-manager
  --perm         one of ${ALL_PERMISSIONS.join(', ')} (repeatable)
  --sub          the user id (default: the manager id, else dev-<role>)
  --ttl          lifetime, default 8h

Signs an HS256 token for the local dev issuer with JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE from the
environment or from .local/dev.env (written by npm run up). Prints only the token. Services that
verify against JWT_JWKS_URL (the OIDC provider) do not accept these tokens.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command line was fine but the local stack's settings are missing. */
export class DevTokenSetupError extends Error {
  override name = 'DevTokenSetupError';
}

export interface DevTokenRequest {
  claims: AccessTokenClaims;
  ttlSeconds: number;
}

export interface DevTokenConfig {
  JWT_SECRET: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

const TTL = /^(\d+)([smhd])$/;
const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseTtl(ttl: string): number {
  const match = TTL.exec(ttl);
  if (!match || Number(match[1]) === 0)
    throw new UsageError(`--ttl ${ttl}: expected a positive number with s, m, h or d, e.g. 8h`);
  return Number(match[1]) * SECONDS_PER_UNIT[match[2]];
}

/** Reads the command line into token claims; throws UsageError naming what is wrong. */
export function parseDevTokenArgs(argv: string[]): DevTokenRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string', multiple: true },
        institution: { type: 'string' },
        manager: { type: 'string' },
        perm: { type: 'string', multiple: true },
        sub: { type: 'string' },
        ttl: { type: 'string', default: '8h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const roles = values.role ?? [];
  if (roles.length === 0) throw new UsageError('--role is required');
  const unknownRole = roles.find((r) => !isRole(r));
  if (unknownRole !== undefined)
    throw new UsageError(`--role ${unknownRole}: expected one of ${ALL_ROLES.join(', ')}`);
  const perms = values.perm ?? [];
  const unknownPerm = perms.find((p) => !isPermission(p));
  if (unknownPerm !== undefined)
    throw new UsageError(`--perm ${unknownPerm}: expected one of ${ALL_PERMISSIONS.join(', ')}`);
  if (!values.institution) throw new UsageError('--institution is required');
  if (roles.includes(Role.RelationshipManager) && !values.manager) {
    throw new UsageError('--manager is required with --role relationship-manager');
  }

  return {
    claims: {
      sub: values.sub ?? values.manager ?? `dev-${roles[0]}`,
      roles: roles as Role[],
      inst: values.institution,
      ...(values.manager ? { mgr: values.manager } : {}),
      perms: perms as Permission[],
    },
    ttlSeconds: parseTtl(values.ttl),
  };
}

/** KEY=VALUE lines; blank lines and # comments skipped, surrounding quotes removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    entries[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return entries;
}

/** Settings from the environment first, then the local stack's generated file; issuer and audience default as the services do. */
export function loadDevTokenConfig(env: NodeJS.ProcessEnv, envFile: string): DevTokenConfig {
  const fromFile = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, 'utf8')) : {};
  const pick = (key: keyof DevTokenConfig): string | undefined => env[key] || fromFile[key] || undefined;
  const defaults = new HttpServiceConfig();
  const secret = pick('JWT_SECRET');
  if (!secret)
    throw new DevTokenSetupError(`JWT_SECRET is not set and ${envFile} has none: run npm run up first`);
  return {
    JWT_SECRET: secret,
    JWT_ISSUER: pick('JWT_ISSUER') ?? defaults.JWT_ISSUER,
    JWT_AUDIENCE: pick('JWT_AUDIENCE') ?? defaults.JWT_AUDIENCE,
  };
}

/** Signs claims the way the dev issuer does (HS256, iss, aud, exp); tests use it for real tokens. */
export function signDevToken(
  claims: AccessTokenClaims,
  config: DevTokenConfig,
  ttlSeconds = 8 * 3600,
): string {
  return new JwtService().sign(
    { ...claims },
    {
      secret: config.JWT_SECRET,
      algorithm: 'HS256',
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      expiresIn: ttlSeconds,
    },
  );
}

export const DEV_ENV_FILE = join(__dirname, '..', '..', '..', '..', '.local', 'dev.env');
