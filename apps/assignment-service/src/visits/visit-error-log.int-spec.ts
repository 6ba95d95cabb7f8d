import request from 'supertest';
import { eventually, uniqueSuffix } from '@crm/testing';
import {
  CALLERS,
  MANAGERS,
  ORG,
  assignmentHarness,
  corebank,
  seedOrganisation,
} from '../testing/bank.fixture';

const CUSTOMER = 'C-NOTE';
/** A visit note as managers write them: names, money, health, family. */
const NOTE = '王秀英女士说丈夫住院，想把定期存款30万提前支取，女儿在杭州读书';
/** Pieces a leak would show even if the note were cut or escaped. */
const NOTE_PIECES = ['王秀英', '丈夫住院', '定期存款30万', '女儿在杭州'];

/** What reached the console or the process's own streams (libraries such as TypeORM print there). */
function captureConsole(): { text: () => string; restore: () => void } {
  const printed: string[] = [];
  const record = (...args: unknown[]) => {
    printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation(record),
    ),
    ...[process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        record(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      }),
    ),
  ];
  return { text: () => printed.join('\n'), restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

describe('a database error on a request that carries a visit note', () => {
  const service = assignmentHarness('visit-error-log', { captureLog: true });
  const log = () => service.log!;

  beforeAll(async () => {
    await service.start();
    await seedOrganisation(service);
    await service.publish(
      corebank.loanDisbursed(service.clock, {
        loanId: 'L-NOTE',
        customerId: CUSTOMER,
        institutionId: ORG.outletA1,
        managerId: MANAGERS.a1.id,
        principal: '100000.00',
      }),
    );
    await eventually(
      async () =>
        (await service.query(`SELECT 1 FROM $schema.customer_coverage WHERE customer_id = $1`, [CUSTOMER]))
          .length === 1,
    );
    // The database refuses the insert, quoting the note in its message and detail, as a
    // constraint or cast error quotes the value it refused.
    await service.query(`
      CREATE FUNCTION $schema.refuse_visit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'visit refused: %', NEW.content USING DETAIL = NEW.content; END $$;
      CREATE TRIGGER refuse_visit BEFORE INSERT ON $schema.visit
        FOR EACH ROW EXECUTE FUNCTION $schema.refuse_visit();`);
  }, 60_000);

  afterAll(() => service.destroy());

  it('answers problem details and logs the error class and correlation id, no part of the note', async () => {
    const correlationId = `corr-${uniqueSuffix()}`;
    const printed = captureConsole();
    const sent = request(service.app.getHttpServer())
      .post('/api/v1/visits')
      .set('Authorization', `Bearer ${CALLERS.managerA1}`)
      .set('x-correlation-id', correlationId)
      .send({
        customerId: CUSTOMER,
        visitedAt: new Date(Date.now() - 60_000).toISOString(),
        content: NOTE,
        latitude: '30.274084',
        longitude: '120.155070',
      });
    let res: request.Response;
    try {
      res = await sent;
    } finally {
      printed.restore();
    }

    expect([500, 503]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: res.status, correlationId });
    const body = JSON.stringify(res.body);
    for (const piece of NOTE_PIECES) expect(body).not.toContain(piece);
    expect(body).not.toMatch(/INSERT|visit refused/);

    await eventually(async () => log().text.includes('"msg":"unhandled error"'), 5_000);
    const failure = log()
      .records()
      .find((record) => record.msg === 'unhandled error');
    expect(failure).toMatchObject({ level: 'error', correlationId, errorClass: 'QueryFailedError' });
    for (const output of [log().text, printed.text()]) {
      for (const piece of NOTE_PIECES) expect(output).not.toContain(piece);
      expect(output).not.toMatch(/INSERT INTO|PARAMETERS|"parameters"/);
    }
  });
});
