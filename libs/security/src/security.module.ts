import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HttpServiceConfig } from '@crm/config';
import { AuthenticationService } from './auth/authentication.service';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { TokenVerifier, createTokenVerifier } from './auth/token-verifier';
import { FieldCipher } from './crypto/field-cipher';

@Module({})
export class SecurityModule {
  /**
   * Authentication on every route (JwtAuthGuard, then RolesGuard), token verification (the OIDC
   * provider's JWKS, or the dev issuer's HS256 secret: see createTokenVerifier) and the PII
   * cipher, configured from the `HttpServiceConfig` instance. An app gets that for free with
   * `ConfigModule.forRoot(MyServiceConfig)` where `MyServiceConfig extends HttpServiceConfig`:
   * ConfigModule provides the instance under each base class it extends.
   */
  static forRoot(): DynamicModule {
    return {
      module: SecurityModule,
      global: true,
      providers: [
        { provide: TokenVerifier, inject: [HttpServiceConfig], useFactory: createTokenVerifier },
        AuthenticationService,
        JwtAuthGuard,
        RolesGuard,
        // Order matters: authenticate first, then check roles.
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useExisting: RolesGuard },
        {
          provide: FieldCipher,
          inject: [HttpServiceConfig],
          useFactory: (config: HttpServiceConfig) =>
            new FieldCipher({ encryptionKey: config.PII_ENCRYPTION_KEY, hashKey: config.PII_HASH_KEY }),
        },
      ],
      exports: [AuthenticationService, FieldCipher],
    };
  }
}
