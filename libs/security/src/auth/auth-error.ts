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
  /** The identity provider's key set could not be fetched (503): the token was not judged. */
  KeysUnavailable = 'AUTH_KEYS_UNAVAILABLE',
}

export const authenticationFailed = (code: AuthErrorCode, message: string): UnauthorizedException =>
  new UnauthorizedException({ code, message });

export const accessDenied = (message: string): ForbiddenException =>
  new ForbiddenException({ code: AuthErrorCode.RoleForbidden, message });

export const outsideDataScope = (message: string): ForbiddenException =>
  new ForbiddenException({ code: AuthErrorCode.OutsideDataScope, message });
