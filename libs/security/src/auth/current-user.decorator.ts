import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { AuthErrorCode, authenticationFailed } from './auth-error';
import { AuthenticatedRequest } from './authenticated-request';
import { AuthenticatedUser } from './authenticated-user';

/** The authenticated caller of the current request. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    // Only reachable on a @Public() route that still asks for a user.
    if (!user)
      throw authenticationFailed(
        AuthErrorCode.TokenMissing,
        'An access token is required (Authorization: Bearer …)',
      );
    return user;
  },
);
