import {
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { AuthenticatedRequest } from '@crm/security';

export const RATE_LIMITED = 'RATE_LIMITED';
export const RATE_LIMIT_UNAVAILABLE = 'RATE_LIMIT_UNAVAILABLE';

/**
 * `@nestjs/throttler`'s guard keyed by principal (the token's subject), not by address: one user
 * behind many addresses, or many users behind one proxy, are counted as who they are. Runs after
 * authentication (it is a route guard, the authentication guard is global).
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  /** Without Redis the limits cannot be counted: the limited routes answer 503 rather than go unguarded. */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof HttpException) throw error;
      throw new ServiceUnavailableException({
        code: RATE_LIMIT_UNAVAILABLE,
        message: 'Rate limits cannot be checked right now; retry shortly',
      });
    }
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const user = (request as unknown as AuthenticatedRequest).user;
    return user ? `user:${user.userId}` : `ip:${String(request.ip)}`;
  }

  /** One counter per limit and principal, whichever route of the limit is called. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const response = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
    response.setHeader('Retry-After', String(Math.max(detail.timeToBlockExpire, 1)));
    throw new HttpException(
      {
        code: RATE_LIMITED,
        message: `Too many requests: at most ${detail.limit} per ${Math.round(detail.ttl / 1000)} s; retry after ${detail.timeToBlockExpire} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
