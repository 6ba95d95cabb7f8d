import { HttpServiceConfig } from '@crm/config';
import { signDevToken } from '../cli/dev-token';
import { Role } from './roles';

/** Refreshed this long before it expires, so a call never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;
const DEV_TOKEN_TTL_S = 900;
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

export class ServiceTokenUnavailableError extends Error {
  override name = 'ServiceTokenUnavailableError';
}

/**
 * This service's own access token (role `system`) for calls to other services: from the bank's OIDC
 * provider by the client credentials grant (SERVICE_TOKEN_URL, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET),
 * or, in development, signed by the dev issuer's secret. Cached until shortly before it expires.
 */
export class ServiceTokenSource {
  private cached: { token: string; refreshAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly config: HttpServiceConfig,
    private readonly serviceName: string,
  ) {}

  async token(now = Date.now()): Promise<string> {
    if (this.cached && now < this.cached.refreshAt) return this.cached.token;
    this.pending ??= this.obtain(now).finally(() => (this.pending = null));
    return this.pending;
  }

  private async obtain(now: number): Promise<string> {
    const { token, expiresInS } = this.config.SERVICE_TOKEN_URL
      ? await this.fromProvider()
      : this.fromDevIssuer();
    this.cached = { token, refreshAt: now + Math.max(0, expiresInS * 1000 - REFRESH_MARGIN_MS) };
    return token;
  }

  private fromDevIssuer(): { token: string; expiresInS: number } {
    const secret = this.config.JWT_SECRET;
    if (!secret)
      throw new ServiceTokenUnavailableError(
        'no SERVICE_TOKEN_URL to get a service token from, and no dev issuer secret (JWT_SECRET) to sign one',
      );
    const token = signDevToken(
      { sub: `service:${this.serviceName}`, roles: [Role.System], inst: this.serviceName, perms: [] },
      { JWT_SECRET: secret, JWT_ISSUER: this.config.JWT_ISSUER, JWT_AUDIENCE: this.config.JWT_AUDIENCE },
      DEV_TOKEN_TTL_S,
    );
    return { token, expiresInS: DEV_TOKEN_TTL_S };
  }

  private async fromProvider(): Promise<{ token: string; expiresInS: number }> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.SERVICE_CLIENT_ID!,
      client_secret: this.config.SERVICE_CLIENT_SECRET!,
      audience: this.config.JWT_AUDIENCE,
    });
    let response: Response;
    try {
      response = await fetch(this.config.SERVICE_TOKEN_URL!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServiceTokenUnavailableError(
        `the token endpoint could not be reached: ${(error as Error).message}`,
      );
    }
    const answer = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
    };
    if (!response.ok || typeof answer.access_token !== 'string')
      throw new ServiceTokenUnavailableError(
        `the token endpoint answered ${response.status} without a token`,
      );
    const expiresInS =
      typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 300;
    return { token: answer.access_token, expiresInS };
  }
}
