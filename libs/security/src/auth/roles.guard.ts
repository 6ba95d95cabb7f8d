import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { accessDenied } from './auth-error';
import { AuthenticatedRequest } from './authenticated-request';
import { hasRole } from './authenticated-user';
import { ROLES_KEY } from './roles.decorator';
import { Role } from './roles';

/** Enforces `@Roles(...)`; runs after JwtAuthGuard, so a user is present wherever roles are required. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user || !hasRole(user, ...required)) {
      throw accessDenied(`This operation needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}
