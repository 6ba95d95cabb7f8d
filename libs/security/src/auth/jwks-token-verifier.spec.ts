import { KeyObject, createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ConfigModule, HttpServiceConfig } from '@crm/config';
import { SecurityModule } from '../security.module';
import { AuthErrorCode } from './auth-error';
import { AuthenticationService } from './authentication.service';
import { AccessTokenClaims } from './jwt-claims';
import { Role } from './roles';
import { JwksTokenVerifier } from './token-verifier';

const ISSUER = 'https://sso.bank.test/realms/crm';
const AUDIENCE = 'bank-crm';
const claims: AccessTokenClaims = { sub: 'carol', roles: [Role.InstitutionHead], inst: 'INST-0100' };

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const newKey = (kid: string, alg: 'RS256' | 'ES256'): SigningKey => {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, ...pair };
};

const jwkOf = (key: SigningKey) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, use: 'sig' });

const sign = (key: SigningKey, overrides: { issuer?: string; audience?: string; expiresIn?: number } = {}) =>
  new JwtService().sign(claims, {
    privateKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    algorithm: key.alg,
    keyid: key.kid,
    issuer: overrides.issuer ?? ISSUER,
    audience: overrides.audience ?? AUDIENCE,
    expiresIn: overrides.expiresIn ?? 600,
  });

const base64url = (value: object | Buffer): string =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/** A token assembled by hand, as an attacker would: any header, any HMAC secret or no signature. */
const forge = (header: object, hmacSecret?: string): string => {
  const payload = { ...claims, iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 };
  const input = `${base64url(header)}.${base64url(payload)}`;
  const signature = hmacSecret ? createHmac('sha256', hmacSecret).update(input).digest('base64url') : '';
  return `${input}.${signature}`;
};

/** The identity provider's JWKS endpoint: a real HTTP server on loopback, counting the fetches. */
class JwksServer {
  keys: SigningKey[] = [];
  fetches = 0;
  delayMs = 0;
  failing = false;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_request, response) => {
      this.fetches += 1;
      setTimeout(() => {
        if (this.failing) return void response.writeHead(502).end();
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: this.keys.map(jwkOf) }));
      }, this.delayMs).unref();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/realms/crm/protocol/openid-connect/certs`;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

describe('tokens verified against the OIDC provider JWKS', () => {
  const jwks = new JwksServer();
  const rsa = newKey('rsa-1', 'RS256');
  const ec = newKey('ec-1', 'ES256');
  let url: string;

  beforeAll(async () => {
    url = await jwks.start();
  });
  afterAll(() => jwks.stop());
  beforeEach(() => {
    jwks.keys = [rsa, ec];
    jwks.fetches = 0;
    jwks.delayMs = 0;
    jwks.failing = false;
  });

  const authentication = (options: { timeoutMs?: number; cooldownMs?: number; maxAgeMs?: number } = {}) =>
    new AuthenticationService(new JwksTokenVerifier({ url, issuer: ISSUER, audience: AUDIENCE, ...options }));

  const rejection = async (service: AuthenticationService, token: string) => {
    const error = await service.authenticateToken(token).then(
      () => undefined,
      (e: { getStatus(): number; getResponse(): { code: string } }) => e,
    );
    if (!error) throw new Error('the token was accepted');
    return { status: error.getStatus(), code: error.getResponse().code };
  };

  it.each([
    ['RS256', rsa],
    ['ES256', ec],
  ])('accepts a %s token signed by a key of the set, fetching the set once', async (_, key) => {
    const service = authentication();
    for (let i = 0; i < 3; i++) {
      await expect(service.authenticateToken(sign(key))).resolves.toMatchObject({
        userId: 'carol',
        institutionId: 'INST-0100',
      });
    }
    expect(jwks.fetches).toBe(1);
  });

  it('fetches the set again for a key id it has not seen (key rotation)', async () => {
    const service = authentication({ cooldownMs: 0 });
    await service.authenticateToken(sign(rsa));
    const rotated = newKey('rsa-2', 'RS256');
    jwks.keys = [rsa, rotated];
    await expect(service.authenticateToken(sign(rotated))).resolves.toMatchObject({ userId: 'carol' });
    expect(jwks.fetches).toBe(2);
  });

  it('does not let forged key ids flood the provider: no fetch within the cool-down', async () => {
    const service = authentication({ cooldownMs: 60_000 });
    await service.authenticateToken(sign(rsa));
    const strangers = Array.from({ length: 20 }, (_, i) => newKey(`forged-${i}`, 'ES256'));
    for (const stranger of strangers) {
      expect(await rejection(service, sign(stranger))).toEqual({
        status: 401,
        code: AuthErrorCode.TokenInvalid,
      });
    }
    expect(jwks.fetches).toBe(1);
  });

  it('rejects a token signed by another key under a known key id', async () => {
    const impostor = { ...newKey('rsa-1', 'RS256') };
    expect(await rejection(authentication(), sign(impostor))).toEqual({
      status: 401,
      code: AuthErrorCode.TokenInvalid,
    });
  });

  it('rejects alg none without fetching anything', async () => {
    const token = forge({ alg: 'none', typ: 'JWT', kid: 'rsa-1' });
    expect(await rejection(authentication(), token)).toEqual({
      status: 401,
      code: AuthErrorCode.TokenInvalid,
    });
    expect(jwks.fetches).toBe(0);
  });

  it('rejects algorithm confusion: an HS256 token whose secret is the public key', async () => {
    const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const secret of [publicPem, JSON.stringify(jwkOf(rsa))]) {
      const token = forge({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' }, secret);
      expect(await rejection(authentication(), token)).toEqual({
        status: 401,
        code: AuthErrorCode.TokenInvalid,
      });
    }
  });

  it('rejects an RS256 header on an EC key (the key type pins the algorithm)', async () => {
    const header = base64url({ alg: 'RS256', typ: 'JWT', kid: 'ec-1' });
    const payload = base64url({
      ...claims,
      iss: ISSUER,
      aud: AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const signature = cryptoSign('sha256', Buffer.from(`${header}.${payload}`), {
      key: ec.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    const token = `${header}.${payload}.${signature.toString('base64url')}`;
    expect(await rejection(authentication(), token)).toEqual({
      status: 401,
      code: AuthErrorCode.TokenInvalid,
    });
  });

  it.each([
    ['another issuer', { issuer: 'https://elsewhere/realms/crm' }, AuthErrorCode.TokenInvalid],
    ['another audience', { audience: 'another-app' }, AuthErrorCode.TokenInvalid],
    ['an expired token', { expiresIn: -10 }, AuthErrorCode.TokenExpired],
  ])('rejects %s', async (_, overrides, code) => {
    expect(await rejection(authentication(), sign(rsa, overrides))).toEqual({ status: 401, code });
  });

  it('answers 503 within the timeout when the provider hangs, naming no token fault', async () => {
    jwks.delayMs = 3_000;
    const started = Date.now();
    expect(await rejection(authentication({ timeoutMs: 200 }), sign(rsa))).toEqual({
      status: 503,
      code: AuthErrorCode.KeysUnavailable,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('goes on verifying with known keys while the provider is down; an unknown key id is a 503', async () => {
    const service = authentication({ cooldownMs: 0, maxAgeMs: 0 });
    await service.authenticateToken(sign(rsa));
    jwks.failing = true;
    await expect(service.authenticateToken(sign(rsa))).resolves.toMatchObject({ userId: 'carol' });
    expect(await rejection(service, sign(newKey('rsa-new', 'RS256')))).toEqual({
      status: 503,
      code: AuthErrorCode.KeysUnavailable,
    });
    expect(jwks.fetches).toBe(3);
  });

  it('guards the routes of an app configured with JWT_JWKS_URL', async () => {
    @Controller('probe')
    class ProbeController {
      @Get('me')
      me(): { ok: true } {
        return { ok: true };
      }
    }
    @Module({
      imports: [ConfigModule.forRoot(HttpServiceConfig), SecurityModule.forRoot()],
      controllers: [ProbeController],
    })
    class ProbeModule {}

    const saved = { ...process.env };
    Object.assign(process.env, {
      JWT_JWKS_URL: url,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PII_HASH_KEY: randomBytes(32).toString('base64'),
    });
    delete process.env.JWT_SECRET;
    let app: INestApplication | undefined;
    try {
      const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      await request(app.getHttpServer())
        .get('/probe/me')
        .set('Authorization', `Bearer ${sign(ec)}`)
        .expect(200);
      const hs256 = new JwtService().sign(claims, {
        secret: randomBytes(32).toString('hex'),
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: 600,
      });
      await request(app.getHttpServer()).get('/probe/me').set('Authorization', `Bearer ${hs256}`).expect(401);
    } finally {
      await app?.close();
      process.env = saved;
    }
  });
});
