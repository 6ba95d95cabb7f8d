import { Queue } from 'bullmq';
import request from 'supertest';
import { BusinessCalendar, addDays } from '@crm/calendar';
import { queueConnectionOf } from '@crm/persistence';
import { Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { testStack, until } from '@crm/testing';
import { ANALYTICS_SERVICE } from '../service';
import { COB_QUEUE } from './cob.queue';

/** The close of business on its schedule: a BullMQ job scheduler in the bank's zone starts the date's run. */
describe('analytics-service close of business on a schedule', () => {
  // Every two seconds, closing the day before the one it fires on (as a run after midnight does).
  const harness = new ServiceHarness(ANALYTICS_SERVICE, {
    name: 'cobsched',
    env: { COB_SCHEDULE: '*/2 * * * * *', COB_SCHEDULE_CLOSES: 'yesterday', BANK_TIME_ZONE: 'Asia/Shanghai' },
  });
  const calendar = new BusinessCalendar('Asia/Shanghai');
  const admin = `Bearer ${testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO', sub: 'head-office' })}`;
  let queue: Queue;

  beforeAll(async () => {
    await harness.start();
    queue = new Queue(COB_QUEUE, {
      connection: queueConnectionOf(testStack.redisUrl),
      prefix: `${harness.redisPrefix}bull`,
    });
  }, 60_000);

  afterAll(async () => {
    await queue?.close();
    await harness.destroy();
  }, 60_000);

  it('starts the run of the date it closes, in the bank’s time zone, and lists it', async () => {
    const [scheduler] = await queue.getJobSchedulers();
    expect(scheduler).toMatchObject({ pattern: '*/2 * * * * *', tz: 'Asia/Shanghai' });

    const yesterday = addDays(calendar.today(), -1);
    const runs = async () =>
      (
        await request(harness.app.getHttpServer())
          .get('/api/v1/cob-runs')
          .query({ from: addDays(yesterday, -1), to: yesterday })
          .set('authorization', admin)
          .expect(200)
      ).body.runs as { businessDate: string; requestedBy: string; status: string; startedAt: string }[];
    const done = await until(runs, (r) => r.some((run) => run.status === 'succeeded'), 30_000);
    const run = done.find((r) => r.status === 'succeeded')!;
    expect(run).toMatchObject({ requestedBy: 'scheduler' });
    // The date before the one the schedule fired on (a run started in the first seconds of a day is allowed both).
    const firedOn = [run.startedAt, Date.parse(run.startedAt) - 3_000].map((t) => calendar.dateOf(t));
    expect(firedOn.map((date) => addDays(date, -1))).toContain(run.businessDate);
  });
});
