import { KeyObject, createSecretKey } from 'node:crypto';
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
  private readonly jwt: JwtService;

  constructor(private readonly options: Audience & { secret: string }) {
    super();
    // A key object made once: given the string, jsonwebtoken tries (and fails) to parse it as a public
    // key on every verify, which cost a fifth of a request's CPU.
    const key = createSecretKey(Buffer.from(options.secret, 'utf8'));
    this.jwt = new JwtService({ secretOrKeyProvider: () => key });
  }

  verify(token: string): Promise<Record<string, unknown>> {
    return this.jwt.verifyAsync<Record<string, unknown>>(token, {
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
    const publicKey: KeyObject = await this.keys.keyFor({ alg, kid });
    return new JwtService({ secretOrKeyProvider: () => publicKey }).verifyAsync<Record<string, unknown>>(
      token,
      {
        algorithms: [alg],
        issuer: this.options.issuer,
        audience: this.options.audience,
      },
    );
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
