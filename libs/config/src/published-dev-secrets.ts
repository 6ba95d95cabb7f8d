/**
 * Secret values published in this repository (docker-compose.yml, test harnesses, benchmarks).
 * Anyone can read them, so a production process refuses to start with one of them.
 */
export const PUBLISHED_DEV_SECRETS: ReadonlySet<string> = new Set([
  // docker-compose.yml
  'dev-only-jwt-secret-do-not-use-in-production',
  'ZGV2LW9ubHktcGlpLWVuY3J5cHRpb24ta2V5LTAwMDE=',
  'ZGV2LW9ubHktcGlpLWhhc2gta2V5LTAwMDAwMDAwMDE=',
  // test harnesses and benchmarks
  'test-only-jwt-secret-0123456789abcdef',
  'assignment-test-secret-0123456789abcdef',
  'bench-only-jwt-secret-0123456789abcdef',
]);

/** Database and broker passwords the local stack and docker-compose.yml use. */
export const PUBLISHED_DEV_PASSWORDS: ReadonlySet<string> = new Set(['postgres']);

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A key that is base64 of 32 bytes but not random: published, text (a passphrase such as the
 * compose file's), or few distinct bytes (`Buffer.alloc(32, 1)` in tests). 32 random bytes are
 * almost never all printable (p ≈ 1e-14) and hold about 30 distinct values.
 */
export function isPublishedOrWeakKey(base64: string): boolean {
  if (PUBLISHED_DEV_SECRETS.has(base64)) return true;
  const bytes = Buffer.from(base64, 'base64');
  return PRINTABLE_ASCII.test(bytes.toString('latin1')) || new Set(bytes).size < 16;
}

/** The password in a URL such as `postgres://user:password@host/db` is one published for development. */
export function hasPublishedPassword(url: string): boolean {
  try {
    return PUBLISHED_DEV_PASSWORDS.has(decodeURIComponent(new URL(url).password));
  } catch {
    return false;
  }
}
