import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { EventHeaders } from '@crm/contracts';
import {
  EventProbe,
  TestSchema,
  TestTopic,
  createTestSchema,
  createTestTopic,
  eventually,
  testKafka,
  testStack,
} from '@crm/testing';
import { EventPublisher } from '../producer/event-publisher';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

const kafka = testKafka();
const writer = new OutboxWriter('/test/outbox');
const repoRoot = join(__dirname, '../../../..');

describe('transactional outbox on the real database and broker', () => {
  let db: TestSchema;
  let topic: TestTopic;
  let probe: EventProbe;

  const changeStateWithEvent = (customerId: string, fail = false) =>
    db.dataSource.transaction(async (tx) => {
      await tx.query(`INSERT INTO "${db.schema}".coverage (customer_id) VALUES ($1)`, [customerId]);
      const envelope = await writer.add(tx, {
        topic: topic.topic,
        type: 'test.coverage.changed.v1',
        subject: customerId,
        data: { customerId, primaryInstitutionId: 'INST-01' },
      });
      if (fail) throw new Error('business rule failed after the write');
      return envelope;
    });

  const pendingCount = async (): Promise<number> => {
    const [{ count }] = await db.dataSource.query(
      `SELECT count(*)::int AS count FROM "${db.schema}".outbox WHERE published_at IS NULL`,
    );
    return count;
  };

  // Publication is marked after the broker acknowledged it; killing the relay before the mark
  // commits would (correctly) republish the same event id on restart, so the test waits for it.
  const waitUntilNothingPending = async (timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while ((await pendingCount()) > 0) {
      if (Date.now() > deadline) throw new Error('outbox rows still pending');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const startRelayProcess = async (): Promise<ChildProcess> => {
    const child = spawn(
      process.execPath,
      ['-r', './tools/register.js', join(__dirname, 'testing/run-relay.ts')],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          OUTBOX_SCHEMA: db.schema,
          DATABASE_URL: testStack.databaseUrl,
          KAFKA_BROKERS: testStack.kafkaBrokers.join(','),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('relay started') && resolve());
      child.on('exit', (code) => reject(new Error(`relay process exited with ${code}`)));
    });
    return child;
  };

  const kill = async (child: ChildProcess) => {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    db = await createTestSchema('outbox');
    await db.dataSource.query(`CREATE TABLE "${db.schema}".coverage (customer_id text PRIMARY KEY)`);
    topic = await createTestTopic(kafka, 'outbox');
    probe = await EventProbe.start(kafka, topic.topic);
  });

  afterAll(async () => {
    await probe?.stop();
    await topic?.delete();
    await db?.drop();
  });

  it('commits a state change and its event together, or neither', async () => {
    await expect(changeStateWithEvent('C-rollback', true)).rejects.toThrow('business rule failed');
    const [{ count }] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM "${db.schema}".coverage WHERE customer_id = 'C-rollback') + (SELECT count(*) FROM "${db.schema}".outbox)::int AS count`,
    );
    expect(Number(count)).toBe(0);
  });

  it('publishes an event committed while the relay was down exactly once, across a kill -9 and restart', async () => {
    const envelope = await changeStateWithEvent('C-1');
    expect(await pendingCount()).toBe(1);

    const first = await startRelayProcess();
    const published = await probe.waitFor((m) => m.headers[EventHeaders.Id] === envelope.id);
    expect(published.key).toBe('C-1');
    expect(published.headers[EventHeaders.Type]).toBe('test.coverage.changed.v1');
    expect(published.json).toEqual({ customerId: 'C-1', primaryInstitutionId: 'INST-01' });
    await waitUntilNothingPending();
    await kill(first);

    const second = await startRelayProcess();
    const after = await changeStateWithEvent('C-2');
    await probe.waitFor((m) => m.headers[EventHeaders.Id] === after.id);
    await waitUntilNothingPending();
    await kill(second);

    expect(probe.messages.filter((m) => m.headers[EventHeaders.Id] === envelope.id)).toHaveLength(1);
    expect(probe.messages.filter((m) => m.headers[EventHeaders.Id] === after.id)).toHaveLength(1);
  });

  it('is woken by commits again, not only by its poll, after its listener connection was cut', async () => {
    const publisher = new EventPublisher(kafka);
    // A poll this slow cannot be what publishes within the test's wait.
    const relay = new OutboxRelay(db.dataSource, publisher, { pollIntervalMs: 120_000 });
    await relay.start();
    try {
      const listening = `LISTEN "outbox_${db.schema}"`;
      const cut = async () =>
        (
          await db.dataSource.query(
            `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE query = $1`,
            [listening],
          )
        )[0].cut as number;
      expect(await cut()).toBe(1);
      const back = await eventually(
        async () =>
          (
            await db.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1`, [
              listening,
            ])
          )[0].n === 1,
        10_000,
      );
      expect(back).toBe(true);
      const envelope = await changeStateWithEvent('C-after-cut');
      await probe.waitFor((m) => m.headers[EventHeaders.Id] === envelope.id, 10_000);
    } finally {
      await relay.stop();
      await publisher.disconnect();
    }
  });

  it('publishes in commit order per key', async () => {
    const publisher = new EventPublisher(kafka);
    const relay = new OutboxRelay(db.dataSource, publisher, { pollIntervalMs: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const e = await db.dataSource.transaction((tx) =>
        writer.add(tx, { topic: topic.topic, type: 'test.seq.v1', subject: 'C-order', data: { seq: i } }),
      );
      ids.push(e.id);
    }
    await relay.start();
    try {
      const received = await probe.waitForCount((m) => m.key === 'C-order', 20);
      expect(received.map((m) => m.headers[EventHeaders.Id])).toEqual(ids);
    } finally {
      await relay.stop();
      await publisher.disconnect();
    }
  });
});
