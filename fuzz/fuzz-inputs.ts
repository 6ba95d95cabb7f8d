import { KeysetCursor } from '@crm/http';
import { AccessTokenClaims, Role, signDevToken } from '@crm/security';

/** The malformed inputs the REST and the gRPC fuzz share, and what a response must not show. */

export const SEED = 20_261_128;

export const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])/;
// Bounded by non-alphanumerics, so that the hex of a correlation id is not taken for a number.
export const PHONE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/;

/** mulberry32: small, fast, and the same sequence on every run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const b64url = (text: string) => Buffer.from(text).toString('base64url');

export const FORGED_IDS = [
  'x'.repeat(300),
  '-'.repeat(36),
  '00000000-0000-0000-0000-000000000000',
  "' OR 1=1 --",
  'a%00b',
  '%E4%B8%AD%E6%96%87',
  '..%2F..%2Fetc',
  '99999999999999999999999',
];

export const FORGED_CURSORS = [
  b64url('1'),
  b64url('["1"]'),
  b64url('["1","' + '-'.repeat(36) + '"]'),
  b64url('2025-01-01|' + '-'.repeat(36)),
  b64url(JSON.stringify({ v: 1e308, k: 'alerts', p: [] })),
  b64url(JSON.stringify({ v: 1, k: 'alerts', p: ['1', '00000000-0000-0000-0000-000000000000'] })),
  new KeysetCursor('foreign-list', ['key'] as const).encode(['C1']),
  b64url('{"v":1,"k":"visits","p":["2026-01-01T00:00:00Z","a\u0000"]}'),
  'A'.repeat(5_000),
  '%%%',
];

export const WRONG_SCALARS = [
  'abc',
  '-1',
  '1e309',
  '9'.repeat(30),
  '',
  'null',
  'true',
  '2026-02-30',
  'a\u0000b',
];

export interface Tokens {
  sign(claims: AccessTokenClaims, ttlSeconds?: number): string;
  secret: string;
}

/** Authorization values that must not authenticate anyone: [label, value], undefined for none. */
export function forgedAuthorizations(tokens: Tokens): [string, string | undefined][] {
  const admin: AccessTokenClaims = { sub: 'fuzz-admin', roles: [Role.HeadOfficeAdmin], inst: 'HO' };
  const claims = b64url(
    JSON.stringify({
      ...admin,
      iss: 'bank-crm-dev',
      aud: 'bank-crm',
      exp: Math.floor(Date.now() / 1000) + 600,
    }),
  );
  const otherSecret = {
    JWT_SECRET: `${tokens.secret}-not`,
    JWT_ISSUER: 'bank-crm-dev',
    JWT_AUDIENCE: 'bank-crm',
  };
  return [
    ['no token', undefined],
    ['garbage token', 'Bearer garbage'],
    ['basic scheme', 'Basic dXNlcjpwYXNz'],
    ['expired token', `Bearer ${tokens.sign(admin, -60)}`],
    ['wrong signature', `Bearer ${signDevToken(admin, otherSecret)}`],
    ['alg none', `Bearer ${b64url('{"alg":"none","typ":"JWT"}')}.${claims}.`],
  ];
}
