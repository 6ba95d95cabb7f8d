import { randomBytes } from 'node:crypto';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ConfigModule, HttpServiceConfig } from '@crm/config';
import { Public } from '@crm/observability';
import { signDevToken } from '../cli/dev-token';
import { SecurityModule } from '../security.module';
import { AuthErrorCode } from './auth-error';
import { AuthenticatedUser } from './authenticated-user';
import { AuthenticationService } from './authentication.service';
import { CurrentUser } from './current-user.decorator';
import { AccessTokenClaims } from './jwt-claims';
import { Roles } from './roles.decorator';
import { Permission, Role } from './roles';

/** An app's own config class: SecurityModule must find it under HttpServiceConfig. */
class ProbeServiceConfig extends HttpServiceConfig {}

@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Get('me')
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Roles(Role.InstitutionHead, Role.HeadOfficeAdmin)
  @Get('institution')
  institution(): { ok: true } {
    return { ok: true };
  }
}

@Module({
  imports: [ConfigModule.forRoot(ProbeServiceConfig), SecurityModule.forRoot()],
  controllers: [ProbeController],
})
class ProbeModule {}

const ENV = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  JWT_ISSUER: 'bank-crm-test',
  JWT_AUDIENCE: 'bank-crm',
  PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
};

const manager: AccessTokenClaims = {
  sub: 'alice',
  roles: [Role.RelationshipManager],
  inst: 'INST-0101',
  mgr: 'MGR-0101-01',
  perms: [Permission.PiiRead],
};
const head: AccessTokenClaims = { sub: 'bob', roles: [Role.InstitutionHead], inst: 'INST-0100' };

describe('JwtAuthGuard and RolesGuard', () => {
  const saved = { ...process.env };
  let app: INestApplication;
  const sign = (claims: AccessTokenClaims, overrides: Partial<typeof ENV> = {}) =>
    signDevToken(claims, { ...ENV, ...overrides }, 600);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    process.env = saved;
  });

  it('lets a valid token through and exposes the current user', async () => {
    const response = await request(app.getHttpServer())
      .get('/probe/me')
      .set(bearer(sign(manager)))
      .expect(200);
    expect(response.body).toEqual({
      userId: 'alice',
      roles: ['relationship-manager'],
      institutionId: 'INST-0101',
      managerId: 'MGR-0101-01',
      permissions: ['pii:read'],
    });
  });

  it('opens a @Public() route without a token', async () => {
    await request(app.getHttpServer()).get('/probe/open').expect(200, { open: true });
  });

  it.each([
    ['no Authorization header', {}, AuthErrorCode.TokenMissing],
    ['a non-bearer scheme', { Authorization: 'Basic YWxpY2U6c2VjcmV0' }, AuthErrorCode.TokenMissing],
    ['a token that is not a JWT', { Authorization: 'Bearer not.a.jwt' }, AuthErrorCode.TokenInvalid],
  ])('answers 401 for %s', async (_, headers, code) => {
    const response = await request(app.getHttpServer()).get('/probe/me').set(headers).expect(401);
    expect(response.body.code).toBe(code);
  });

  it('answers 401 for an expired token', async () => {
    const expired = new JwtService().sign(
      { ...manager, exp: Math.floor(Date.now() / 1000) - 60 },
      { secret: ENV.JWT_SECRET, algorithm: 'HS256', issuer: ENV.JWT_ISSUER, audience: ENV.JWT_AUDIENCE },
    );
    const response = await request(app.getHttpServer()).get('/probe/me').set(bearer(expired)).expect(401);
    expect(response.body.code).toBe(AuthErrorCode.TokenExpired);
  });

  it.each([
    ['the wrong audience', { JWT_AUDIENCE: 'another-system' }],
    ['the wrong issuer', { JWT_ISSUER: 'somebody-else' }],
    ['the wrong secret', { JWT_SECRET: randomBytes(32).toString('hex') }],
  ])('answers 401 for a token with %s', async (_, overrides) => {
    const response = await request(app.getHttpServer())
      .get('/probe/me')
      .set(bearer(sign(manager, overrides)))
      .expect(401);
    expect(response.body.code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('refuses another algorithm even with the right secret', async () => {
    const hs512 = new JwtService().sign(manager, {
      secret: ENV.JWT_SECRET,
      algorithm: 'HS512',
      issuer: ENV.JWT_ISSUER,
      audience: ENV.JWT_AUDIENCE,
      expiresIn: 600,
    });
    const response = await request(app.getHttpServer()).get('/probe/me').set(bearer(hs512)).expect(401);
    expect(response.body.code).toBe(AuthErrorCode.TokenInvalid);
  });

  it('refuses a token that never expires', async () => {
    const forever = new JwtService().sign(manager, {
      secret: ENV.JWT_SECRET,
      issuer: ENV.JWT_ISSUER,
      audience: ENV.JWT_AUDIENCE,
    });
    const response = await request(app.getHttpServer()).get('/probe/me').set(bearer(forever)).expect(401);
    expect(response.body.code).toBe(AuthErrorCode.ClaimsInvalid);
  });

  it('answers 403 when no required role matches, 200 when one does', async () => {
    const denied = await request(app.getHttpServer())
      .get('/probe/institution')
      .set(bearer(sign(manager)))
      .expect(403);
    expect(denied.body.code).toBe(AuthErrorCode.RoleForbidden);
    await request(app.getHttpServer())
      .get('/probe/institution')
      .set(bearer(sign(head)))
      .expect(200);
  });

  it('authenticates a token outside HTTP', async () => {
    const authentication = app.get(AuthenticationService);
    await expect(authentication.authenticateToken(sign(head))).resolves.toMatchObject({
      userId: 'bob',
      institutionId: 'INST-0100',
    });
    await expect(authentication.authenticateToken(sign(head, { JWT_AUDIENCE: 'x' }))).rejects.toMatchObject({
      status: 401,
    });
  });
});
