import { BusinessCalendar } from '@crm/calendar';
import { EVENT_SAMPLES, EventTypes } from '@crm/contracts';
import type {
  AccountClosedPayload,
  AccountOpenedPayload,
  LoanDisbursedPayload,
  LoanSettledPayload,
  TransactionPostedPayload,
} from '@crm/contracts';
import {
  BalanceObservation,
  HoldingType,
  carryForward,
  closingObservation,
  dailyAverage,
  disbursalObservation,
  endOfDayBalances,
  entryObservation,
  openingObservation,
  settlementObservation,
} from './daily-balance.rule';

const calendar = new BusinessCalendar('Asia/Shanghai');

const observed = (
  businessDate: string,
  balance: string,
  asOf: string,
  factId = asOf,
): BalanceObservation => ({
  holdingType: HoldingType.Account,
  holdingId: 'A1',
  customerId: 'C1',
  businessDate,
  balance,
  currency: 'CNY',
  asOf,
  factId,
});

describe('end-of-day balance', () => {
  it('is the balance after the day’s latest entry, whatever order the entries arrive in', () => {
    const morning = observed('2025-03-03', '100.00', '2025-03-03T09:00:00+08:00');
    const evening = observed('2025-03-03', '250.00', '2025-03-03T18:00:00+08:00');
    expect(endOfDayBalances([morning, evening]).get('2025-03-03')).toBe('250.00');
    expect(endOfDayBalances([evening, morning]).get('2025-03-03')).toBe('250.00');
  });

  it('takes the greater fact id between entries of the same instant, in either order', () => {
    const t = '2025-03-03T09:00:00+08:00';
    const [a, b] = [observed('2025-03-03', '1.00', t, 'T1'), observed('2025-03-03', '2.00', t, 'T2')];
    expect(endOfDayBalances([a, b]).get('2025-03-03')).toBe('2.00');
    expect(endOfDayBalances([b, a]).get('2025-03-03')).toBe('2.00');
  });

  it('books an entry on the bank’s date: 00:30 in Hangzhou is the next day of 16:30 UTC', () => {
    const entry = {
      ...EVENT_SAMPLES[EventTypes.TransactionPosted],
      bookingDate: '2025-03-31T16:30:00.000Z',
    } as unknown as TransactionPostedPayload;
    expect(entryObservation(entry, calendar)).toMatchObject({
      businessDate: '2025-04-01',
      balance: '35800.50',
      factId: 'T20250301000000001',
    });
  });

  it('counts a closing as the last fact of its day and a disbursal as the first', () => {
    const closed = {
      ...EVENT_SAMPLES[EventTypes.AccountClosed],
      accountId: 'A1',
      customerId: 'C1',
      closedOn: '2025-03-03',
    } as unknown as AccountClosedPayload;
    const lateEntry = observed('2025-03-03', '80.00', '2025-03-03T23:59:59.999+08:00');
    expect(endOfDayBalances([closingObservation(closed, calendar), lateEntry]).get('2025-03-03')).toBe(
      '0.00',
    );

    const loan = EVENT_SAMPLES[EventTypes.LoanDisbursed] as unknown as LoanDisbursedPayload;
    const disbursal = disbursalObservation(loan, calendar);
    const repaidAtMidnight = {
      ...disbursal,
      balance: '50000.00',
      asOf: '2025-01-20T00:00:00.001+08:00',
      factId: 'R1',
    };
    expect(endOfDayBalances([repaidAtMidnight, disbursal]).get('2025-01-20')).toBe('50000.00');

    const settled = EVENT_SAMPLES[EventTypes.LoanSettled] as unknown as LoanSettledPayload;
    expect(settlementObservation(settled, calendar)).toMatchObject({
      businessDate: '2025-04-20',
      balance: '0.00',
    });
  });

  it('states an opening’s balance on the day core banking sent it, not on the day the account opened', () => {
    const opened = EVENT_SAMPLES[EventTypes.AccountOpened] as unknown as AccountOpenedPayload;
    expect(openingObservation(opened, '2025-03-05T02:00:00.000Z', calendar)).toMatchObject({
      businessDate: '2025-03-05',
      balance: '200000.00',
    });
  });
});

describe('carrying balances forward', () => {
  const endOfDay = new Map([
    ['2025-01-30', '1000.00'],
    ['2025-02-10', '3000.00'],
    ['2025-02-20', '0.00'],
  ]);

  it('gives every calendar day the balance of the latest day before it that had one', () => {
    expect(carryForward(endOfDay, '2025-02-08', '2025-02-12')).toEqual([
      { date: '2025-02-08', balance: '1000.00' },
      { date: '2025-02-09', balance: '1000.00' },
      { date: '2025-02-10', balance: '3000.00' },
      { date: '2025-02-11', balance: '3000.00' },
      { date: '2025-02-12', balance: '3000.00' },
    ]);
  });

  it('counts zero before the first stated balance', () => {
    expect(carryForward(endOfDay, '2025-01-29', '2025-01-30').map((d) => d.balance)).toEqual([
      '0.00',
      '1000.00',
    ]);
  });

  it('averages over every day of the month, carried-forward days and the zeros after closing included', () => {
    // 1-9 Feb: 1,000 (carried from January); 10-19 Feb: 3,000; 20-28 Feb: 0. (9,000 + 30,000) / 28.
    expect(dailyAverage(endOfDay, '2025-02-01', '2025-02-28')).toBe('1392.86');
  });

  it('divides by the calendar days of the period: a leap February has 29', () => {
    const steady = new Map([['2024-01-15', '2900.00']]);
    expect(dailyAverage(steady, '2024-02-01', '2024-02-29')).toBe('2900.00');
    expect(dailyAverage(new Map([['2024-02-29', '2900.00']]), '2024-02-01', '2024-02-29')).toBe('100.00');
  });

  it('rounds the average half-up to the fen', () => {
    // 0.01 on one day of two: 0.005 → 0.01.
    expect(dailyAverage(new Map([['2025-03-02', '0.01']]), '2025-03-01', '2025-03-02')).toBe('0.01');
  });
});
