import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { testStack, uniqueSuffix } from '@crm/testing';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const SCHEMA = `t_customer_pii_keys_${uniqueSuffix()}`;
const key = () => randomBytes(32).toString('base64');
const KEYS_A = { PII_ENCRYPTION_KEY: key(), PII_HASH_KEY: key() };
const KEYS_B = { PII_ENCRYPTION_KEY: key(), PII_HASH_KEY: key() };

/** customer-service's main.ts as a deployment runs it (`migrate`: migrations and the key check only). */
function migrateWith(keys: typeof KEYS_A): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', './tools/register.js', 'apps/customer-service/src/main.ts', 'migrate'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATABASE_URL: testStack.databaseUrl,
          DATABASE_SCHEMA: SCHEMA,
          JWT_SECRET: 'pii-keys-int-spec-secret-0123456789abcdef',
          ...keys,
        },
      },
      (error, stdout, stderr) =>
        done({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: stdout + stderr,
        }),
    );
  });
}

describe('PII keys of a schema (one database shared by several checkouts)', () => {
  afterAll(async () => {
    const admin = await new DataSource({ type: 'postgres', url: testStack.databaseUrl }).initialize();
    await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await admin.destroy();
  });

  it('records the keys on first start, accepts them again, and refuses other keys with exit 2', async () => {
    const first = await migrateWith(KEYS_A);
    expect(first).toMatchObject({ code: 0 });
    expect(first.output).toContain('PII keys recorded');
    const again = await migrateWith(KEYS_A);
    expect(again).toMatchObject({ code: 0 });
    expect(again.output).toContain('PII keys matched');

    const other = await migrateWith(KEYS_B);
    expect(other.code).toBe(2);
    expect(other.output).toContain(
      `PII_ENCRYPTION_KEY and PII_HASH_KEY are not the key the data in schema \\"${SCHEMA}\\" was written with`,
    );

    const otherHashKey = await migrateWith({ ...KEYS_A, PII_HASH_KEY: KEYS_B.PII_HASH_KEY });
    expect(otherHashKey.code).toBe(2);
    expect(otherHashKey.output).toContain(`PII_HASH_KEY is not the key the data in schema \\"${SCHEMA}\\"`);
  }, 120_000);
});
