import { eventually } from '@crm/testing';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { FieldCipher } from '@crm/security';
import { Harness, Role, startCustomerService } from '../testing/customer-service.harness';

const ROWS = 20_000;

describe('CSV export streams a large result from a server-side cursor', () => {
  let h: Harness;
  let server: http.Server;
  let base: string;
  let token: string;

  beforeAll(async () => {
    h = await startCustomerService('export');
    const phone = h.app.get(FieldCipher).encrypt('13812345678');
    // The projection is not under test here: rows straight into the schema.
    await h.dataSource.query(
      `INSERT INTO "${h.schema}".customer (id, kind, name, region_code, home_institution_id, phone_enc, phone_hash, profile_as_of)
       SELECT 'E' || lpad(n::text, 6, '0'), 'individual', '客户' || n, '330106', 'O1', $1, 'h' || n, now()
       FROM generate_series(1, ${ROWS}) AS n`,
      [phone],
    );
    server = h.app.getHttpServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    token = h.token({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });
  });

  afterAll(async () => {
    server?.close();
    await h?.close();
  });

  const exportRequest = (onResponse: (res: http.IncomingMessage, req: http.ClientRequest) => void) => {
    const req = http.request(`${base}/api/v1/customers/search/export`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
    req.on('response', (res) => onResponse(res, req));
    req.end('{}');
    return req;
  };

  it('sends every row, in many chunks', async () => {
    const { chunks, text } = await new Promise<{ chunks: number; text: string }>((resolve, reject) => {
      exportRequest((res) => {
        let count = 0;
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          count++;
          parts.push(chunk);
        });
        res.on('end', () => resolve({ chunks: count, text: Buffer.concat(parts).toString('utf8') }));
        res.on('error', reject);
      });
    });
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[1].startsWith('E000001,individual,客户1,')).toBe(true);
    expect(text).not.toContain('13812345678');
    expect(chunks).toBeGreaterThan(10);
  });

  it('gives the database connection back when the client goes away mid-export', async () => {
    const activeExports = async () =>
      (
        await h.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state <> 'idle' AND pid <> pg_backend_pid()`,
          [`%FROM "${h.schema}".customer c%`],
        )
      )[0].n as number;
    await new Promise<void>((resolve) => {
      exportRequest((res, req) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
    });
    await eventually(async () => (await activeExports()) === 0, 10_000);
    // And the pool still serves queries.
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM "${h.schema}".customer`);
    expect(n).toBe(ROWS);
  });
});
