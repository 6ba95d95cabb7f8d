import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..');

const composeEnv = (service: string): Record<string, string> => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment: Record<string, unknown> }>;
  };
  return Object.fromEntries(
    Object.entries(compose.services[service].environment).map(([k, v]) => [k, String(v)]),
  );
};

/** Runs a service's main.ts to its end; the refusal must come before it touches any server. */
function runMain(app: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', join(root, 'tools/register.js'), join(root, 'apps', app, 'src/main.ts')],
      { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a service started for production with docker-compose.yml dev settings', () => {
  it('exits with code 2, naming every variable at fault', async () => {
    const { code, output } = await runMain('customer-service', {
      ...composeEnv('customer-service'),
      NODE_ENV: 'production',
    });
    expect(code).toBe(2);
    expect(output).toContain('customer-service: invalid configuration');
    for (const variable of [
      'DATABASE_URL',
      'JWT_JWKS_URL',
      'JWT_SECRET',
      'PII_ENCRYPTION_KEY',
      'PII_HASH_KEY',
      'GRPC_TLS_CERT_FILE',
    ])
      expect(output).toContain(`- ${variable}: `);
  }, 90_000);
});
