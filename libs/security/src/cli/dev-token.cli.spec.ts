import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SECRET = 'dev-token-cli-spec-secret-0123456789abcdef';

/** The environment of a plain shell: no npm_* settings inherited from a surrounding `npm test`. */
function shellEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, JWT_SECRET: SECRET, JWT_ISSUER: 'bank-crm-dev', JWT_AUDIENCE: 'bank-crm' };
}

describe('npm run token', () => {
  it('prints only the token on stdout, so TOKEN=$(npm run token -- …) captures a JWT', () => {
    const stdout = execFileSync(
      'npm',
      ['run', 'token', '--', '--role', 'head-office-admin', '--institution', '800000'],
      { cwd: ROOT, env: shellEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );

    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(
      new JwtService().verify(stdout.trim(), {
        secret: SECRET,
        issuer: 'bank-crm-dev',
        audience: 'bank-crm',
      }),
    ).toMatchObject({ roles: ['head-office-admin'], inst: '800000' });
  }, 30_000);
});
