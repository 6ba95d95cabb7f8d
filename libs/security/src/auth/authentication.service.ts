import { Injectable, Logger } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { HttpServiceConfig } from '@crm/config';
import { AuthenticatedUser } from './authenticated-user';
import { AuthErrorCode, authenticationFailed } from './auth-error';
import { InvalidClaimsError, userFromClaims } from './jwt-claims';

/** Verifies access tokens; used by the HTTP guard and by any other entry point (gRPC metadata, CLIs). */
@Injectable()
export class AuthenticationService {
  private readonly logger = new Logger(AuthenticationService.name);

  constructor(
    private readonly jwt: JwtService,
    private readonly config: HttpServiceConfig,
  ) {}

  /** The user a token stands for; throws a 401 UnauthorizedException with an AuthErrorCode otherwise. */
  async authenticateToken(token: string): Promise<AuthenticatedUser> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        secret: this.config.JWT_SECRET,
        algorithms: ['HS256'],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw authenticationFailed(AuthErrorCode.TokenExpired, 'The access token has expired');
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
