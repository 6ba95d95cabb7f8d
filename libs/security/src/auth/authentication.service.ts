import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { TokenExpiredError } from '@nestjs/jwt';
import { AuthenticatedUser } from './authenticated-user';
import { AuthErrorCode, authenticationFailed } from './auth-error';
import { JwksUnavailableError } from './jwks-key-store';
import { InvalidClaimsError, userFromClaims } from './jwt-claims';
import { TokenVerifier } from './token-verifier';

/** Verifies access tokens; used by the HTTP guard and by any other entry point (gRPC metadata, CLIs). */
@Injectable()
export class AuthenticationService {
  private readonly logger = new Logger(AuthenticationService.name);

  constructor(private readonly verifier: TokenVerifier) {}

  /**
   * The user a token stands for; throws a 401 UnauthorizedException with an AuthErrorCode otherwise,
   * or a 503 when the identity provider's keys cannot be fetched.
   */
  async authenticateToken(token: string): Promise<AuthenticatedUser> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw authenticationFailed(AuthErrorCode.TokenExpired, 'The access token has expired');
      }
      if (error instanceof JwksUnavailableError) {
        this.logger.warn({ msg: 'identity provider keys unavailable', reason: error.message });
        throw new ServiceUnavailableException({
          code: AuthErrorCode.KeysUnavailable,
          message: "The identity provider's keys could not be fetched; try again shortly",
        });
      }
      // The reason (signature, audience, issuer) helps operators, not callers.
      this.logger.debug({ msg: 'access token rejected', reason: (error as Error).message });
      throw authenticationFailed(AuthErrorCode.TokenInvalid, 'The access token is not valid');
    }
    try {
      return userFromClaims(claims);
    } catch (error) {
      if (!(error instanceof InvalidClaimsError)) throw error;
      throw authenticationFailed(
        AuthErrorCode.ClaimsInvalid,
        `The access token's claims are not usable: ${error.message}`,
      );
    }
  }
}
