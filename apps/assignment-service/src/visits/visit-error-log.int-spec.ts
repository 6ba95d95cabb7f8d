import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { createTestApp } from '@crm/http';
import { connectEventConsumer } from '@crm/messaging';
import { TestSchema, createTestSchema, eventually, uniqueSuffix } from '@crm/testing';
import {
  CALLERS,
  CorebankFeed,
  MANAGERS,
  ORG,
  configureTestEnv,
  corebank,
  organisationEvents,
  testPrefix,
} from '../testing/assignment-harness';
import { AppModule } from '../app.module';
import { ASSIGNMENT_MIGRATIONS } from '../migrations';

const prefix = testPrefix('assign-redacted-log');
configureTestEnv(prefix);

const CUSTOMER = 'C-NOTE';
/** A visit note as managers write them: names, money, health, family. */
const NOTE = '王秀英女士说丈夫住院，想把定期存款30万提前支取，女儿在杭州读书';
/** Pieces a leak would show even if the note were cut or escaped. */
const NOTE_PIECES = ['王秀英', '丈夫住院', '定期存款30万', '女儿在杭州'];

/** Every line the service logged. */
class CapturedLog extends Writable {
  readonly chunks: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    done();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

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
  let feed: CorebankFeed;
  let db: TestSchema;
  let app: INestApplication;
  const log = new CapturedLog();

  beforeAll(async () => {
    feed = new CorebankFeed(prefix);
    db = await createTestSchema('assign_redacted_log', { migrations: ASSIGNMENT_MIGRATIONS });
    process.env.DATABASE_SCHEMA = db.schema;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = await createTestApp(moduleRef, {
      serviceName: 'assignment-service',
      logDestination: log,
      logLevel: 'debug',
    });
    connectEventConsumer(app);
    await app.startAllMicroservices();
    await feed.publish(...organisationEvents(feed));
    await feed.publish(
      corebank.loanDisbursed(feed, {
        loanId: 'L-NOTE',
        customerId: CUSTOMER,
        institutionId: ORG.outletA1,
        managerId: MANAGERS.a1.id,
        principal: '100000.00',
      }),
    );
    await eventually(async () => {
      const rows = await db.dataSource.query(
        `SELECT 1 FROM "${db.schema}".customer_coverage WHERE customer_id = $1`,
        [CUSTOMER],
      );
      return rows.length === 1;
    });
    // The database refuses the insert, quoting the note in its message and detail, as a
    // constraint or cast error quotes the value it refused.
    await db.dataSource.query(`
      CREATE FUNCTION "${db.schema}".refuse_visit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'visit refused: %', NEW.content USING DETAIL = NEW.content; END $$;
      CREATE TRIGGER refuse_visit BEFORE INSERT ON "${db.schema}".visit
        FOR EACH ROW EXECUTE FUNCTION "${db.schema}".refuse_visit();`);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await feed?.close();
  });

  it('answers problem details and logs the error class and correlation id, no part of the note', async () => {
    const correlationId = `corr-${uniqueSuffix()}`;
    const printed = captureConsole();
    const sent = request(app.getHttpServer())
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

    await eventually(async () => log.text.includes('"msg":"unhandled error"'), 5_000);
    const lines = log.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const failure = lines.find((line) => line.msg === 'unhandled error');
    expect(failure).toMatchObject({ level: 'error', correlationId, errorClass: 'QueryFailedError' });
    for (const output of [log.text, printed.text()]) {
      for (const piece of NOTE_PIECES) expect(output).not.toContain(piece);
      expect(output).not.toMatch(/INSERT INTO|PARAMETERS|"parameters"/);
    }
  });
});
