import { randomUUID } from 'node:crypto';
import { AccessTokenClaims, signDevToken } from '@crm/security';
import { TEST_SECRETS } from '@crm/testing';

export type TestTokenClaims = Partial<AccessTokenClaims> & Pick<AccessTokenClaims, 'roles' | 'inst'>;

/**
 * An access token every service under test accepts (signed with TEST_SECRETS); a user of its own
 * unless `sub` is given, so per-principal limits of one test do not count another's calls.
 */
export function testToken(claims: TestTokenClaims): string {
  return signDevToken(
    { ...claims, sub: claims.sub ?? `user-${randomUUID().slice(0, 8)}`, perms: claims.perms ?? [] },
    TEST_SECRETS,
  );
}
