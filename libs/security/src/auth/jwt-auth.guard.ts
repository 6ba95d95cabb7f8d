import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY, setContextUser } from '@crm/observability';
import { AuthErrorCode, authenticationFailed } from './auth-error';
import { AuthenticatedRequest } from './authenticated-request';
import { AuthenticationService } from './authentication.service';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Every route needs a valid bearer token unless marked `@Public()`. Registered globally by
 * SecurityModule, so a forgotten decorator fails closed.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])
    ) {
      return true;
    }
    // Other transports (gRPC) authenticate through AuthenticationService in their own guard; here they fail closed.
    if (context.getType() !== 'http') {
      throw authenticationFailed(AuthErrorCode.TokenMissing, 'No access token on this transport');
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!token)
      throw authenticationFailed(
        AuthErrorCode.TokenMissing,
        'An access token is required (Authorization: Bearer …)',
      );
    request.user = await this.authentication.authenticateToken(token);
    setContextUser(request.user.userId);
    return true;
  }
}
