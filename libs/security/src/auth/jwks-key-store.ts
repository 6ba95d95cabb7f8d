import { JsonWebKey, KeyObject, createPublicKey } from 'node:crypto';

/** The algorithms a key set may verify, and the key type each needs. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export const isAsymmetricAlgorithm = (alg: unknown): alg is AsymmetricAlgorithm =>
  (ASYMMETRIC_ALGORITHMS as readonly unknown[]).includes(alg);

const fitsAlgorithm = (jwk: JsonWebKey, alg: AsymmetricAlgorithm): boolean =>
  alg === 'RS256' ? jwk.kty === 'RSA' : jwk.kty === 'EC' && jwk.crv === 'P-256';

export interface JwksKeyStoreOptions {
  url: string;
  /** A fetch that takes longer fails: a hung identity provider must not hang requests. */
  timeoutMs?: number;
  /** Least time between fetches caused by unknown key ids, so forged ids cannot flood the provider. */
  cooldownMs?: number;
  /** Keys are fetched again after this, so a key the provider withdrew stops verifying. */
  maxAgeMs?: number;
}

/** The key set could not be fetched (network, timeout, not JSON): not the caller's fault. */
export class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
}

/** No key of the set fits the token's `kid` and `alg`. */
export class NoMatchingKeyError extends Error {
  override name = 'NoMatchingKeyError';
}

interface SigningKey {
  jwk: JsonWebKey;
  /** Parsed once: jsonwebtoken would parse a PEM again on every verify. */
  key: KeyObject;
}

/** Most keys a set may hold; Keycloak publishes two or three. */
const MAX_KEYS = 100;

/**
 * The OIDC provider's public keys (RFC 7517 JWK Set) fetched from its JWKS URL, cached, and
 * fetched again when a token names a key id not in the cache (key rotation) or the cache is old.
 */
export class JwksKeyStore {
  private keys: SigningKey[] = [];
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private lastFailure?: JwksUnavailableError;
  private inFlight?: Promise<void>;
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly maxAgeMs: number;

  constructor(private readonly options: JwksKeyStoreOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  }

  /**
   * The key that verifies a token with this header. While the provider cannot be
   * reached, cached keys go on verifying; a key id never seen then fails as unavailable.
   */
  async keyFor(header: { alg: AsymmetricAlgorithm; kid?: string }): Promise<KeyObject> {
    const now = Date.now();
    const stale = now - this.fetchedAt >= this.maxAgeMs;
    if ((stale || !this.match(header)) && now - this.attemptedAt >= this.cooldownMs) {
      await this.refresh().catch((error: unknown) => {
        if (!this.match(header)) throw error;
      });
    }
    const key = this.match(header);
    if (key) return key;
    if (this.lastFailure) throw this.lastFailure;
    throw new NoMatchingKeyError(
      `no key of the set fits kid ${header.kid ?? '(none)'} and alg ${header.alg}`,
    );
  }

  private match(header: { alg: AsymmetricAlgorithm; kid?: string }): KeyObject | undefined {
    const candidates = this.keys.filter(
      ({ jwk }) =>
        fitsAlgorithm(jwk, header.alg) &&
        (jwk.alg === undefined || jwk.alg === header.alg) &&
        (jwk.use === undefined || jwk.use === 'sig') &&
        (header.kid === undefined || jwk.kid === header.kid),
    );
    // Without a kid only an unambiguous set will do.
    return candidates.length === 1 || (header.kid !== undefined && candidates.length > 0)
      ? candidates[0].key
      : undefined;
  }

  /** One fetch at a time; concurrent callers share it. */
  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    this.attemptedAt = Date.now();
    try {
      this.keys = await this.download();
      this.fetchedAt = Date.now();
      this.lastFailure = undefined;
    } catch (error) {
      this.lastFailure =
        error instanceof JwksUnavailableError ? error : new JwksUnavailableError((error as Error).message);
      throw this.lastFailure;
    }
  }

  private async download(): Promise<SigningKey[]> {
    let body: unknown;
    try {
      const response = await fetch(this.options.url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new JwksUnavailableError(
        `the key set at ${this.options.url} could not be fetched: ${(error as Error).message}`,
      );
    }
    const jwks = (body as { keys?: unknown })?.keys;
    if (!Array.isArray(jwks)) throw new JwksUnavailableError(`${this.options.url} is not a JWK Set`);
    return jwks.slice(0, MAX_KEYS).flatMap((jwk: JsonWebKey) => {
      try {
        return [{ jwk, key: createPublicKey({ key: jwk, format: 'jwk' }) }];
      } catch {
        // A key of a type this service does not use (e.g. an encryption key) is skipped.
        return [];
      }
    });
  }
}
