import { ForbiddenException, UnauthorizedException } from '@nestjs/common';

/** Machine-readable reasons, carried as `code` in the problem details. */
export enum AuthErrorCode {
  TokenMissing = 'AUTH_TOKEN_MISSING',
  TokenInvalid = 'AUTH_TOKEN_INVALID',
  TokenExpired = 'AUTH_TOKEN_EXPIRED',
  ClaimsInvalid = 'AUTH_CLAIMS_INVALID',
  RoleForbidden = 'AUTH_ROLE_FORBIDDEN',
  /** The caller's roles grant no data scope, or the data asked for lies outside it. */
  OutsideDataScope = 'OUTSIDE_DATA_SCOPE',
}

export const authenticationFailed = (code: AuthErrorCode, message: string): UnauthorizedException =>
  new UnauthorizedException({ code, message });

export const accessDenied = (message: string): ForbiddenException =>
  new ForbiddenException({ code: AuthErrorCode.RoleForbidden, message });

export const outsideDataScope = (message: string): ForbiddenException =>
  new ForbiddenException({ code: AuthErrorCode.OutsideDataScope, message });
