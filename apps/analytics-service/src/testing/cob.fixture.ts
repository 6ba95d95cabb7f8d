import request from 'supertest';
import { Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { SmallBank, until } from '@crm/testing';
import { BankStory, StoryCustomer } from './bank-story.fixture';

/** The dates the close-of-business tests run: a backfill, a quarter's last day, and the next quarter's first. */
export const MID_MARCH = '2024-03-15';
export const QUARTER_END = '2024-03-31';
export const NEXT_QUARTER = '2024-04-01';

export const headOffice = (bank: Pick<SmallBank, 'HO'>): string =>
  `Bearer ${testToken({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' })}`;

/** Starts a close of business through the API and waits for it to end; the run as GET shows it. */
export async function runToEnd(
  harness: ServiceHarness,
  bank: Pick<SmallBank, 'HO'>,
  businessDate: string,
  shards?: number,
): Promise<Record<string, unknown> & { runId: string; status: string }> {
  const http = request(harness.app.getHttpServer());
  const started = await http
    .post('/api/v1/cob-runs')
    .set('authorization', headOffice(bank))
    .send({ businessDate, shards })
    .expect(202);
  const run = await until(
    async () =>
      (await http.get(`/api/v1/cob-runs/${started.body.runId}`).set('authorization', headOffice(bank))).body,
    (r) => r.status !== 'running',
  );
  if (run.status !== 'succeeded')
    throw new Error(`close of business ${businessDate} ended ${run.status}: ${run.error}`);
  return run;
}

/** Every row of a snapshot table of the date, each column as text, keyed by customer id. */
export async function snapshotRows(
  harness: ServiceHarness,
  table: 'customer_indicator' | 'customer_profile',
  businessDate: string,
  columns: readonly string[],
): Promise<Map<string, Record<string, string | null>>> {
  const rows = await harness.query<Record<string, string | null>>(
    `SELECT ${columns.map((c) => `${c}::text AS ${c}`).join(', ')} FROM $schema.${table}
      WHERE business_date = $1 ORDER BY customer_id`,
    [businessDate],
  );
  return new Map(rows.map((r) => [r.customer_id!, r]));
}

/** A reference row with every value as Postgres writes it as text. */
export const asText = (row: Record<string, unknown>): Record<string, string | null> =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]));

/**
 * A quarter in the life of a small bank (2023 to 1 April 2024), told so that the close of business meets
 * every rule: tiers exactly at and a fen below the default thresholds, a month and a quarter boundary, a
 * fall and a rise of AUM, a new, a lost and a card-only customer, a prospect, a loan, a foreign-currency
 * account, card statements and payments, and transactions on every channel.
 */
export async function tellQuarter(story: BankStory, bank: SmallBank): Promise<Record<string, StoryCustomer>> {
  const s = story;
  const [out1, out2] = [
    [bank.OUT1, bank.M1],
    [bank.OUT2, bank.M2],
  ] as const;

  const A = await s.customer('A', ...out1);
  await s.openAccount(A, 'A-TD', 'time-deposit', '2021-06-01', '1000000.00');

  const B = await s.customer('B', ...out1);
  await s.openAccount(B, 'B-WM', 'wealth-product', '2022-02-01', '900000.00');
  await s.openAccount(B, 'B-CA', 'current', '2022-02-01', '100000.00');
  await s.entry('B-CA', '2024-02-10', 10, '-0.01', 'mobile');
  await s.entry('B-CA', NEXT_QUARTER, 10, '0.01', 'mobile');

  const C = await s.customer('C', ...out1);
  await s.openAccount(C, 'C-SA', 'savings', '2023-01-15', '300000.00');
  await s.entry('C-SA', '2024-03-20', 10, '5000.00', 'counter');
  await s.entry('C-SA', '2024-03-20', 15, '-5000.00', 'atm');
  await s.entry('C-SA', NEXT_QUARTER, 9, '10000.00', 'mobile');

  const D = await s.customer('D', ...out1);
  await s.openAccount(D, 'D-CA', 'current', '2023-02-01', '49999.99');
  await s.entry('D-CA', '2024-03-05', 10, '100.00', 'online');
  await s.entry('D-CA', '2024-03-05', 14, '-100.00', 'pos');

  const E = await s.customer('E', ...out1);
  await s.openAccount(E, 'E-CA', 'current', '2021-03-01', '400000.00');
  await s.entry('E-CA', '2024-01-05', 10, '-300000.00', 'mobile', '102331000019');

  const Q = await s.customer('Q', bank.OUT1, bank.M1, '2024-03-20');

  const F = await s.customer('F', ...out2);
  await s.openAccount(F, 'F-SA', 'savings', '2022-05-01', '20000.00');
  await s.entry('F-SA', '2024-02-15', 8, '80000.00', 'batch');

  const G = await s.customer('G', ...out2);
  await s.openAccount(G, 'G-CA', 'current', '2024-03-10', '20000.00');
  await s.issueCard(G, 'G-CC', '2024-03-12');
  await s.spend('G-CC', '2024-03-14', 12, '1200.00', 'pos');
  await s.spend('G-CC', '2024-03-25', 20, '300.50', 'online');
  await s.statement('G-CC', '2024-03-27', '1500.50');
  await s.spend('G-CC', '2024-03-28', 19, '99.50', 'mobile');
  await s.payment('G-CC', NEXT_QUARTER, 10, '0.00');

  const H = await s.customer('H', ...out2);
  await s.disburse(H, 'H-LN', '2023-06-01', '200000.00');
  await s.repay('H-LN', '2024-03-20', '180000.00');
  await s.openAccount(H, 'H-CA', 'current', '2023-06-01', '5000.00');
  const channels = [
    'counter',
    'mobile',
    'atm',
    'online',
    'pos',
    'mobile',
    'mobile',
    'atm',
    'online',
    'mobile',
  ];
  for (const [i, channel] of channels.entries())
    await s.entry(
      'H-CA',
      `2024-03-${String(2 + i * 2).padStart(2, '0')}`,
      11,
      i % 2 ? '-120.00' : '150.00',
      channel,
    );
  await s.openAccount(H, 'H-USD', 'savings', '2023-07-01', '1000.00', 'USD');
  await s.entry('H-USD', '2024-03-15', 10, '100.00', 'counter');

  const I = await s.customer('I', ...out2);
  await s.openAccount(I, 'I-CA', 'current', '2022-03-01', '30000.00');
  await s.entry('I-CA', '2023-11-10', 10, '-30000.00', 'counter');
  await s.closeAccount('I-CA', '2024-02-10');

  const J = await s.customer('J', ...out2);
  await s.issueCard(J, 'J-CC', '2023-08-01');
  await s.spend('J-CC', '2023-12-20', 15, '2000.00', 'pos');
  await s.statement('J-CC', '2024-01-05', '2000.00');
  await s.payment('J-CC', '2024-01-20', 9, '0.00');
  await s.spend('J-CC', '2024-03-30', 18, '888.88', 'pos');

  const P = await s.customer('P', ...out2);
  await story.feed.drained();
  return { A, B, C, D, E, F, G, H, I, J, P, Q };
}
