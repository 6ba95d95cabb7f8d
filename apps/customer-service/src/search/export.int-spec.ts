import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { FieldCipher, Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { eventually } from '@crm/testing';
import { CUSTOMER_SERVICE } from '../service';

/** Region 330106: the large export. */
const ROWS = 10_000;
/** Region 330200: rows with one in the middle written under another key. */
const WITH_FOREIGN_ROW = 1_000;
/** Region 330300: for the slow reader, rows of 6 kB each: more than socket buffers hold. */
const SLOW_ROWS = 5_000;
const MAX_ROWS = ROWS + 100;
const MAX_SECONDS = 30;

interface ExportResult {
  status: number;
  text: string;
  chunks: number;
  /** The response ended cleanly (false: it was cut off, as a failed export must be). */
  complete: boolean;
}

describe('CSV export', () => {
  const h = new ServiceHarness(CUSTOMER_SERVICE, {
    name: 'export',
    captureLog: true,
    env: {
      EXPORT_MAX_ROWS: String(MAX_ROWS),
      EXPORT_MAX_SECONDS: String(MAX_SECONDS),
      RATE_LIMIT_EXPORT: '100',
    },
  });
  let base: string;
  let token: string;
  let actor: string;

  const insert = (prefix: string, region: string, count: number, phoneEnc: string, name = '客户') =>
    h.query(
      `INSERT INTO $schema.customer (id, kind, name, region_code, home_institution_id, phone_enc, phone_hash, profile_as_of)
       SELECT '${prefix}' || lpad(n::text, 6, '0'), 'individual', $2 || n, '${region}', 'O1', $1, '${prefix}h' || n, now()
       FROM generate_series(1, ${count}) AS n`,
      [phoneEnc, name],
    );

  beforeAll(async () => {
    await h.start();
    const phone = h.app.get(FieldCipher).encrypt('13812345678');
    // The projection is not under test here: rows straight into the schema.
    await insert('E', '330106', ROWS, phone);
    await insert('F', '330200', WITH_FOREIGN_ROW, phone);
    await insert('S', '330300', SLOW_ROWS, phone, '客'.repeat(2000));
    // As if written by another checkout with its own dev key: this service cannot decrypt it.
    const foreign = new FieldCipher({
      encryptionKey: randomBytes(32).toString('base64'),
      hashKey: randomBytes(32).toString('base64'),
    }).encrypt('13800000000');
    await h.query(`UPDATE $schema.customer SET phone_enc = $1 WHERE id = 'F000500'`, [foreign]);
    base = h.httpUrl;
    actor = `exporter-${randomBytes(4).toString('hex')}`;
    token = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO', sub: actor });
  });

  afterAll(async () => {
    await h.destroy();
  });

  const exportRequest = (
    filter: object,
    onResponse: (res: http.IncomingMessage, req: http.ClientRequest) => void,
  ): http.ClientRequest => {
    const req = http.request(`${base}/api/v1/customers/search/export`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
    req.on('response', (res) => onResponse(res, req));
    req.end(JSON.stringify({ filter }));
    return req;
  };

  const exportOf = (filter: object): Promise<ExportResult> =>
    new Promise((resolve, reject) => {
      const req = exportRequest(filter, (res) => {
        let chunks = 0;
        const parts: Buffer[] = [];
        const done = (complete: boolean) =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(parts).toString('utf8'),
            chunks,
            complete,
          });
        res.on('data', (chunk: Buffer) => {
          chunks++;
          parts.push(chunk);
        });
        res.on('end', () => done(res.complete));
        res.on('error', () => done(false));
        res.on('aborted', () => done(false));
      });
      req.on('error', reject);
    });

  /** Sessions still running or holding an export's statement (the filter values are bind parameters). */
  const activeExports = async () =>
    (
      await h.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE query LIKE $1 AND state <> 'idle' AND pid <> pg_backend_pid()`,
        [`%FROM "${h.schema}".customer c%`],
      )
    )[0].n;

  /** The service's log lines about exports it cut off. */
  const endedEarly = () => h.log!.records().filter((record) => record.msg === 'export ended early');

  const exportAudits = async () =>
    (await h.query(
      `SELECT outcome, details FROM $schema.audit_log WHERE action = 'customer.export' AND actor_id = $1 ORDER BY id`,
      [actor],
    )) as { outcome: string; details: Record<string, unknown> }[];

  it('sends every row, in many chunks, and audits who exported what and how many rows', async () => {
    const filter = { regionCodes: ['330106'], kind: 'individual' };
    const result = await exportOf(filter);
    expect(result.status).toBe(200);
    expect(result.complete).toBe(true);
    const lines = result.text.trim().split('\r\n');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[1].startsWith('E000001,individual,客户1,')).toBe(true);
    expect(result.text).not.toContain('13812345678');
    expect(result.chunks).toBeGreaterThan(10);
    expect(await exportAudits()).toContainEqual({
      outcome: 'allowed',
      details: { filter, rows: ROWS },
    });
  });

  it('ends the response in error on a row it cannot decrypt, and goes on serving', async () => {
    const result = await exportOf({ regionCodes: ['330200'] });
    expect(result.status).toBe(200);
    expect(result.complete).toBe(false);
    expect(result.text).not.toContain('F000500,');
    await eventually(async () => (await activeExports()) === 0, 10_000);

    const next = await fetch(`${base}/api/v1/customers/search`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ filter: { regionCodes: ['330200'] }, pageSize: 10 }),
    });
    expect(next.status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(endedEarly()).toContainEqual(
      expect.objectContaining({ errorClass: 'FieldCipherError', correlationId: expect.any(String) }),
    );
  });

  it('refuses, before any row, an export over EXPORT_MAX_ROWS, and audits the refusal', async () => {
    const result = await exportOf({});
    expect(result.status).toBe(422);
    expect(JSON.parse(result.text)).toMatchObject({ code: 'EXPORT_TOO_LARGE', status: 422 });
    expect(await exportAudits()).toContainEqual({
      outcome: 'denied',
      details: { filter: {}, matchedAtLeast: MAX_ROWS + 1, maxRows: MAX_ROWS },
    });
  });

  it('gives the database connection back when the client goes away mid-export', async () => {
    await new Promise<void>((resolve) => {
      exportRequest({ regionCodes: ['330106'] }, (res, req) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
    });
    await eventually(async () => (await activeExports()) === 0, 10_000);
    // And the pool still serves queries.
    const [{ n }] = await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM $schema.customer`);
    expect(n).toBe(ROWS + WITH_FOREIGN_ROW + SLOW_ROWS);
  });

  it('cuts off a client that reads too slowly after EXPORT_MAX_SECONDS and frees the connection', async () => {
    const started = Date.now();
    // The client reads one chunk and stops: the server's socket buffers fill and the stream stalls.
    const req = exportRequest({ regionCodes: ['330300'] }, (res) => res.once('data', () => res.pause()));
    try {
      const cutOff = await eventually(
        async () => endedEarly().find((line) => line.errorClass === 'ExportTimedOutError'),
        (MAX_SECONDS + 30) * 1000,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_SECONDS * 1000 - 500);
      expect(cutOff.rowsSent).toBeLessThan(SLOW_ROWS);
      await eventually(async () => (await activeExports()) === 0, 10_000);
    } finally {
      req.destroy();
    }
  }, 120_000);
});
