import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import {
  DevTokenSetupError,
  UsageError,
  loadDevTokenConfig,
  parseDevTokenArgs,
  parseEnvFile,
  parseTtl,
  signDevToken,
} from './dev-token';

const args = (line: string) => line.split(' ').filter(Boolean);

describe('parseDevTokenArgs', () => {
  it('reads a relationship manager with a permission', () => {
    expect(
      parseDevTokenArgs(
        args('--role relationship-manager --institution INST-0101 --manager MGR-0101-01 --perm pii:read'),
      ),
    ).toEqual({
      claims: {
        sub: 'MGR-0101-01',
        roles: ['relationship-manager'],
        inst: 'INST-0101',
        mgr: 'MGR-0101-01',
        perms: ['pii:read'],
      },
      ttlSeconds: 8 * 3600,
    });
  });

  it('takes repeated roles, an explicit subject and a ttl', () => {
    expect(
      parseDevTokenArgs(
        args('--role analyst --role marketing --institution INST-0001 --sub carol --ttl 30m'),
      ),
    ).toEqual({
      claims: { sub: 'carol', roles: ['analyst', 'marketing'], inst: 'INST-0001', perms: [] },
      ttlSeconds: 1800,
    });
  });

  it.each([
    ['an unknown flag', '--role analyst --institution I --admin', /Unknown option '--admin'/],
    ['a flag without its value', '--role analyst --institution', /--institution/],
    ['a positional argument', '--role analyst --institution I extra', /extra/],
    ['no role', '--institution I', /--role is required/],
    [
      'an unknown role',
      '--role superuser --institution I',
      /--role superuser: expected one of head-office-admin/,
    ],
    ['an unknown permission', '--role analyst --institution I --perm pii:delete', /--perm pii:delete/],
    ['no institution', '--role analyst', /--institution is required/],
    [
      'a manager role without --manager',
      '--role relationship-manager --institution I',
      /--manager is required/,
    ],
    ['a bad ttl', '--role analyst --institution I --ttl 8hours', /--ttl 8hours/],
    ['a zero ttl', '--role analyst --institution I --ttl 0h', /--ttl 0h/],
  ])('rejects %s with a UsageError', (_, line, message) => {
    expect(() => parseDevTokenArgs(args(line))).toThrow(UsageError);
    expect(() => parseDevTokenArgs(args(line))).toThrow(message);
  });
});

describe('parseTtl', () => {
  it.each([
    ['45s', 45],
    ['15m', 900],
    ['8h', 28800],
    ['2d', 172800],
  ])('%s is %i seconds', (ttl, seconds) => {
    expect(parseTtl(ttl)).toBe(seconds);
  });
});

describe('dev token configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dev-token-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses KEY=VALUE lines, skipping comments and removing quotes', () => {
    expect(parseEnvFile('# generated\nJWT_SECRET="abc=def"\n\n  JWT_ISSUER = me \nnot a line\n')).toEqual({
      JWT_SECRET: 'abc=def',
      JWT_ISSUER: 'me',
    });
  });

  it('prefers the environment, falls back to the file, then to the service defaults', () => {
    const file = join(dir, 'dev.env');
    writeFileSync(file, 'JWT_SECRET=from-file\nJWT_AUDIENCE=file-audience\n');
    expect(loadDevTokenConfig({}, file)).toEqual({
      JWT_SECRET: 'from-file',
      JWT_ISSUER: 'bank-crm-dev',
      JWT_AUDIENCE: 'file-audience',
    });
    expect(loadDevTokenConfig({ JWT_SECRET: 'from-env', JWT_AUDIENCE: '' }, file)).toEqual({
      JWT_SECRET: 'from-env',
      JWT_ISSUER: 'bank-crm-dev',
      JWT_AUDIENCE: 'file-audience',
    });
  });

  it('explains what to do when no secret is anywhere', () => {
    expect(() => loadDevTokenConfig({}, join(dir, 'missing.env'))).toThrow(DevTokenSetupError);
    expect(() => loadDevTokenConfig({}, join(dir, 'missing.env'))).toThrow(/npm run up/);
  });

  it('signs HS256 tokens with the claims, issuer, audience and lifetime', () => {
    const config = { JWT_SECRET: 'x'.repeat(40), JWT_ISSUER: 'bank-crm-dev', JWT_AUDIENCE: 'bank-crm' };
    const token = signDevToken(
      { sub: 'bob', roles: ['institution-head'], inst: 'INST-0100', perms: [] },
      config,
      3600,
    );
    const claims = new JwtService().verify(token, {
      secret: config.JWT_SECRET,
      algorithms: ['HS256'],
      issuer: 'bank-crm-dev',
      audience: 'bank-crm',
    });
    expect(claims).toMatchObject({ sub: 'bob', roles: ['institution-head'], inst: 'INST-0100' });
    expect(claims.exp - claims.iat).toBe(3600);
  });
});
