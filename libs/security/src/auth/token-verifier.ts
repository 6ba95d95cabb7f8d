import { JsonWebTokenError, JwtService } from '@nestjs/jwt';
import { HttpServiceConfig } from '@crm/config';
import { JwksKeyStore, JwksKeyStoreOptions, isAsymmetricAlgorithm } from './jwks-key-store';

/**
 * Checks an access token's signature, algorithm, issuer, audience and lifetime, and returns its
 * claims. Throws jsonwebtoken's errors (TokenExpiredError, JsonWebTokenError) or JwksUnavailableError.
 */
export abstract class TokenVerifier {
  abstract verify(token: string): Promise<Record<string, unknown>>;
}

interface Audience {
  issuer: string;
  audience: string;
}

/** The local dev issuer: HS256 with a shared secret (`npm run token`); refused in production by the config. */
export class SharedSecretTokenVerifier extends TokenVerifier {
  private readonly jwt = new JwtService();

  constructor(private readonly options: Audience & { secret: string }) {
    super();
  }

  verify(token: string): Promise<Record<string, unknown>> {
    return this.jwt.verifyAsync<Record<string, unknown>>(token, {
      secret: this.options.secret,
      algorithms: ['HS256'],
      issuer: this.options.issuer,
      audience: this.options.audience,
    });
  }
}

/**
 * The bank's OIDC provider: RS256 or ES256, checked against the provider's published keys. The
 * algorithm is pinned to the key's type before verifying, so neither `alg: none` nor an HS256 token
 * "signed" with a public key can pass.
 */
export class JwksTokenVerifier extends TokenVerifier {
  private readonly jwt = new JwtService();
  private readonly keys: JwksKeyStore;

  constructor(private readonly options: Audience & JwksKeyStoreOptions) {
    super();
    this.keys = new JwksKeyStore(options);
  }

  async verify(token: string): Promise<Record<string, unknown>> {
    const decoded = this.jwt.decode<{ header?: { alg?: unknown; kid?: unknown } } | null>(token, {
      complete: true,
    });
    const alg = decoded?.header?.alg;
    const kid = decoded?.header?.kid;
    if (!decoded) throw new JsonWebTokenError('jwt malformed');
    if (!isAsymmetricAlgorithm(alg)) throw new JsonWebTokenError(`alg ${String(alg)} is not accepted`);
    if (kid !== undefined && typeof kid !== 'string') throw new JsonWebTokenError('kid is not a string');
    const publicKey = await this.keys.keyFor({ alg, kid });
    return this.jwt.verifyAsync<Record<string, unknown>>(token, {
      publicKey,
      algorithms: [alg],
      issuer: this.options.issuer,
      audience: this.options.audience,
    });
  }
}

/** The verifier the config asks for: the JWKS URL when set, else the dev issuer's secret. */
export function createTokenVerifier(config: HttpServiceConfig): TokenVerifier {
  const audience = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
  if (config.JWT_JWKS_URL) return new JwksTokenVerifier({ ...audience, url: config.JWT_JWKS_URL });
  if (config.JWT_SECRET) return new SharedSecretTokenVerifier({ ...audience, secret: config.JWT_SECRET });
  throw new Error(
    'neither JWT_JWKS_URL nor JWT_SECRET is set: the config validation should have refused this',
  );
}
