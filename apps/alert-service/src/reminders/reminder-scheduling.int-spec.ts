import { Queue } from 'bullmq';
import { EventTypes, type EventType } from '@crm/contracts';
import { BusinessCalendar, addDays } from '@crm/calendar';
import { ServiceHarness } from '@crm/service-harness';
import { testStack, until } from '@crm/testing';
import { ALERT_SERVICE } from '../service';
import { REMINDER_QUEUE, reminderJobId } from './reminder.scheduler';

/** Reminders ahead of due dates as BullMQ delayed jobs: scheduled, moved with the date, cancelled. */
describe('reminder scheduling on the real stack', () => {
  const harness = new ServiceHarness(ALERT_SERVICE, { name: 'reminders' });
  let queue: Queue;
  const today = new BusinessCalendar().today();
  const customerId = `C-${harness.suffix}`;
  const accountId = `TD-${harness.suffix}`;
  const loanId = `L-${harness.suffix}`;

  /** One fact about the customer, applied by the service before the test goes on. */
  const publish = async (type: EventType, data: object) => {
    await harness.publishEvent(type, customerId, data);
    await harness.drained();
  };
  const reminders = () =>
    harness.query<{ alert_key: string; status: string }>(
      `SELECT alert_key, status FROM $schema.reminder WHERE customer_id = $1 ORDER BY alert_key`,
      [customerId],
    );
  const readJob = async (key: string) => {
    const job = await queue.getJob(reminderJobId(key));
    return job ? { state: await job.getState(), delay: job.opts.delay ?? 0 } : null;
  };
  /** The reminder's job once its change has landed: jobs change right after the event's commit. */
  const jobOf = (key: string, expected: 'delayed' | 'none') =>
    until(
      () => readJob(key),
      (job) => (expected === 'none' ? job === null : job?.state === expected),
      10_000,
    );

  beforeAll(async () => {
    await harness.start();
    const url = new URL(testStack.redisUrl);
    queue = new Queue(REMINDER_QUEUE, {
      connection: { host: url.hostname, port: Number(url.port || 6379) },
      prefix: `${harness.redisPrefix}bull`,
    });
  }, 60_000);

  afterAll(async () => {
    await queue?.close();
    await harness.destroy();
  }, 60_000);

  it('schedules a delayed job per reminder, moves it with the maturity date, and drops it on closure', async () => {
    const first = addDays(today, 30);
    await publish(EventTypes.AccountOpened, {
      accountId,
      customerId,
      institutionId: 'OUT-1',
      kind: 'time-deposit',
      currency: 'CNY',
      openedOn: today,
      maturityDate: first,
      productCode: 'TD-1Y',
      productName: '整存整取一年',
      balance: { amount: '200000.00', currency: 'CNY' },
    });
    const firstKey = `time-deposit-maturity|${accountId}|${first}`;
    expect(await reminders()).toEqual([{ alert_key: firstKey, status: 'pending' }]);
    const job = await jobOf(firstKey, 'delayed');
    expect(job?.state).toBe('delayed');
    // Due 7 days before maturity: about 23 days from now.
    expect(job!.delay).toBeGreaterThan(22 * 86_400_000);
    expect(job!.delay).toBeLessThan(24 * 86_400_000);

    const renewed = addDays(today, 60);
    await publish(EventTypes.AccountMaturityChanged, {
      accountId,
      customerId,
      institutionId: 'OUT-1',
      kind: 'time-deposit',
      previousMaturityDate: first,
      maturityDate: renewed,
      effectiveOn: today,
      reason: '客户申请延期',
    });
    const renewedKey = `time-deposit-maturity|${accountId}|${renewed}`;
    expect(await reminders()).toEqual(
      [
        { alert_key: renewedKey, status: 'pending' },
        { alert_key: firstKey, status: 'cancelled' },
      ].sort((a, b) => a.alert_key.localeCompare(b.alert_key)),
    );
    expect(await jobOf(firstKey, 'none')).toBeNull();
    expect((await jobOf(renewedKey, 'delayed'))?.state).toBe('delayed');

    await publish(EventTypes.AccountClosed, {
      accountId,
      customerId,
      institutionId: 'OUT-1',
      kind: 'time-deposit',
      closedOn: today,
      reason: 'customer-request',
      closingBalance: { amount: '200000.00', currency: 'CNY' },
    });
    expect((await reminders()).every((r) => r.status === 'cancelled')).toBe(true);
    expect(await jobOf(renewedKey, 'none')).toBeNull();
    // The early closure itself is an alert.
    expect(
      await harness.query(`SELECT 1 FROM $schema.alert WHERE alert_key = $1`, [
        `deposit-account-closed|${accountId}|${today}`,
      ]),
    ).toHaveLength(1);
  });

  it('raises a reminder at once when its date is already inside the lead time, and cancels the rest on settlement', async () => {
    const soon = addDays(today, 2);
    const later = addDays(today, 33);
    await publish(EventTypes.LoanDisbursed, {
      loanId,
      customerId,
      institutionId: 'OUT-1',
      managerId: 'M-1',
      principal: { amount: '100000.00', currency: 'CNY' },
      productCode: 'PL-1',
      productName: '个人经营贷款',
      disbursedOn: addDays(today, -28),
      maturityDate: later,
      interestRate: '0.0435',
      repaymentMethod: 'equal-principal',
      schedule: [
        {
          sequence: 1,
          dueDate: soon,
          principal: { amount: '50000.00', currency: 'CNY' },
          interest: { amount: '362.50', currency: 'CNY' },
        },
        {
          sequence: 2,
          dueDate: later,
          principal: { amount: '50000.00', currency: 'CNY' },
          interest: { amount: '181.25', currency: 'CNY' },
        },
      ],
      classification: 'normal',
    });
    const dueKey = `loan-instalment-due|${loanId}|${soon}`;
    expect(await harness.query(`SELECT 1 FROM $schema.alert WHERE alert_key = $1`, [dueKey])).toHaveLength(1);
    const pending = (await reminders()).filter((r) => r.alert_key.includes(loanId) && r.status === 'pending');
    expect(pending.map((r) => r.alert_key).sort()).toEqual(
      [`loan-instalment-due|${loanId}|${later}`, `loan-maturity|${loanId}|${later}`].sort(),
    );

    await publish(EventTypes.LoanSettled, {
      loanId,
      customerId,
      institutionId: 'OUT-1',
      settlement: 'prepaid',
      settledOn: today,
      finalAmount: { amount: '100543.75', currency: 'CNY' },
    });
    for (const r of pending) {
      expect(await jobOf(r.alert_key, 'none')).toBeNull();
    }
    expect((await reminders()).filter((r) => r.alert_key.includes(loanId) && r.status === 'pending')).toEqual(
      [],
    );
  });
});
