import { FieldCipher, Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import request from 'supertest';
import { CUSTOMER_SERVICE } from '../service';

const ROWS = 50;
const STATEMENT_TIMEOUT_SECONDS = 1;

/** EXPORT_STATEMENT_TIMEOUT_SECONDS, here one second: an export's query held up longer is cancelled. */
describe('CSV export statement timeout', () => {
  const h = new ServiceHarness(CUSTOMER_SERVICE, {
    name: 'export-timeout',
    captureLog: true,
    env: { EXPORT_STATEMENT_TIMEOUT_SECONDS: String(STATEMENT_TIMEOUT_SECONDS), RATE_LIMIT_EXPORT: '100' },
  });
  const token = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });

  beforeAll(async () => {
    await h.start();
    const phone = h.app.get(FieldCipher).encrypt('13812345678');
    // The projection is not under test here: rows straight into the schema.
    await h.query(
      `INSERT INTO $schema.customer (id, kind, name, region_code, home_institution_id, phone_enc, phone_hash, profile_as_of)
       SELECT 'T' || lpad(n::text, 6, '0'), 'individual', '客户' || n, '330106', 'O1', $1, 'th' || n, now()
       FROM generate_series(1, ${ROWS}) AS n`,
      [phone],
    );
  });

  afterAll(() => h.destroy());

  const exportCsv = () =>
    request(h.app.getHttpServer())
      .post('/api/v1/customers/search/export')
      .set('Authorization', `Bearer ${token}`)
      .send({ filter: { regionCodes: ['330106'] } });

  it('cuts a query held up past the timeout with a clear 503 before any row, and goes on serving', async () => {
    // As a migration or a long maintenance statement would: the export's query waits for this lock.
    const locker = h.dataSource.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    await locker.query(`LOCK TABLE "${h.schema}".customer IN ACCESS EXCLUSIVE MODE`);
    const started = Date.now();
    let held: request.Response;
    try {
      held = await exportCsv().timeout(30_000);
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_SECONDS * 1000 - 100);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(held.status).toBe(503);
    expect(held.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(held.body).toMatchObject({ code: 'EXPORT_TIMED_OUT', status: 503 });
    expect(held.body.detail).toContain('EXPORT_STATEMENT_TIMEOUT_SECONDS');
    expect(h.log!.text).toContain('"msg":"export query cancelled by its statement timeout"');

    // The connection went back to the pool and the process serves, exports included.
    const next = await exportCsv().expect(200);
    expect(next.text.trim().split('\r\n')).toHaveLength(ROWS + 1);
    await request(h.app.getHttpServer()).get('/health/ready').expect(200);
  });
});
