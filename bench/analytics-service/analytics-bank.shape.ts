import { createHash } from 'node:crypto';
import { addDays, addMonths, daysBetween, monthOf } from '@crm/calendar';
import { InstitutionLevel, ManagerRole } from '@crm/contracts';

/**
 * The pure side of the analytics benchmark bank: its institutions and managers, its months and how many
 * facts each holds, and the fingerprint that tells whether a loaded schema holds this bank. The loader
 * (analytics-bank.loader.ts) turns it into set-based SQL.
 */

/** Bumped whenever the loader's SQL would load other rows for the same shape: a kept schema is then reloaded. */
export const GENERATOR_VERSION = 1;

/** The last day of the 13th month: a past business date the close-of-business batch is run for (a backfill). */
export const BENCH_BUSINESS_DATE = '2026-10-31';
/** The months of facts, the business date's included: what the service keeps attached by default. */
export const BENCH_MONTHS = 13;
export const BENCH_CUSTOMERS = 1_000_000;
export const BENCH_TRANSACTIONS = 20_000_000;

/** Share of the facts that are credit-card spends (source `card`); the rest are deposit entries. */
export const CARD_SPEND_SHARE = 0.08;

export interface BankShape {
  generator: number;
  customers: number;
  transactions: number;
  businessDate: string;
  months: number;
}

export function bankShape(options: {
  customers: number;
  transactions: number;
  businessDate?: string;
}): BankShape {
  const { customers, transactions } = options;
  if (!Number.isInteger(customers) || customers < 100)
    throw new RangeError(`customers must be an integer of at least 100, not ${customers}`);
  // The loader numbers accounts 4 × the customer's number in a 32-bit integer.
  if (customers > 100_000_000)
    throw new RangeError(`customers must be at most 100 000 000, not ${customers}`);
  if (!Number.isInteger(transactions) || transactions < BENCH_MONTHS * 10)
    throw new RangeError(
      `transactions must be an integer of at least ${BENCH_MONTHS * 10}, not ${transactions}`,
    );
  const businessDate = options.businessDate ?? BENCH_BUSINESS_DATE;
  if (addDays(businessDate, 1).slice(8) !== '01')
    throw new RangeError(`the business date must be the last day of a month, not ${businessDate}`);
  return { generator: GENERATOR_VERSION, customers, transactions, businessDate, months: BENCH_MONTHS };
}

/** One business month of the bank's facts: its dates [from, to) and the partition of transaction_fact holding it. */
export interface BenchMonth {
  /** 0 for the oldest month. */
  index: number;
  /** `YYYY-MM`. */
  month: string;
  from: string;
  /** The first day of the next month (exclusive), as the partition's range bound. */
  to: string;
  days: number;
  /** `transaction_fact_<yyyy>_<mm>`: the name analytics-service's month-partition rule gives it. */
  partition: string;
}

/** The `count` months ending with the business date's, oldest first. */
export function benchMonths(businessDate: string, count: number): BenchMonth[] {
  const last = `${monthOf(businessDate)}-01`;
  return Array.from({ length: count }, (_, index) => {
    const from = addMonths(last, index - count + 1);
    const to = addMonths(from, 1);
    const month = monthOf(from);
    return {
      index,
      month,
      from,
      to,
      days: daysBetween(from, to),
      partition: `transaction_fact_${month.replace('-', '_')}`,
    };
  });
}

/**
 * `total` split in proportion to `weights` exactly: each gets the floor of its share, and the units left go
 * to the largest remainders (the earlier one on a tie).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || weights.some((w) => w < 0))
    throw new RangeError('weights must be non-negative, not all zero');
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  const order = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let left = total - shares.reduce((a, b) => a + b, 0), k = 0; left > 0; left -= 1, k += 1)
    shares[order[k].i] += 1;
  return shares;
}

/**
 * How busy each calendar month is against an ordinary one: the Spring Festival (January, February), the
 * National Day week and the November shopping festival, the year end.
 */
export const MONTH_SEASON: Readonly<Record<string, number>> = {
  '01': 1.1,
  '02': 1.2,
  '10': 1.05,
  '11': 1.05,
  '12': 1.1,
};
/** Growth of the bank's volume from one month to the next. */
export const MONTHLY_GROWTH = 0.005;

export interface MonthFacts {
  month: BenchMonth;
  entries: number;
  cardSpends: number;
}

/** The shape's transactions over its months (by season and growth), each month's split into entries and card spends. */
export function factsByMonth(shape: BankShape): MonthFacts[] {
  const months = benchMonths(shape.businessDate, shape.months);
  const totals = apportion(
    shape.transactions,
    months.map((m) => (MONTH_SEASON[m.month.slice(5)] ?? 1) * (1 + MONTHLY_GROWTH) ** m.index),
  );
  return months.map((month, i) => {
    const [entries, cardSpends] = apportion(totals[i], [1 - CARD_SPEND_SHARE, CARD_SPEND_SHARE]);
    return { month, entries, cardSpends };
  });
}

/** Customer numbers [first, last] of each chunk the loader writes in one statement. */
export function chunks(customers: number, size: number): { first: number; last: number }[] {
  return Array.from({ length: Math.ceil(customers / size) }, (_, k) => ({
    first: k * size + 1,
    last: Math.min(customers, (k + 1) * size),
  }));
}

/**
 * The fingerprint of a loaded bank: its shape, the generator's version included. The same fingerprint means the
 * same rows (the generator draws from hashes of row numbers, not from a random seed). The service's migrations
 * are not part of it: a kept bank goes through new ones as a bank's data would, and a migration that the
 * loader must follow changes the loader, and so its version.
 */
export const fingerprintOf = (shape: BankShape): string =>
  createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);

// The institution tree: a head office, six city branches of eight outlets each.
export const HEAD_OFFICE = 'HO';
export const OUTLETS_PER_BRANCH = 8;
/** Relationship managers per outlet (客户经理); each outlet also has a lobby manager and a head. */
export const RELATIONSHIP_MANAGERS_PER_OUTLET = 6;
/** Private bankers (私人客户经理) per branch, for the customers above 1M CNY. */
export const PRIVATE_BANKERS_PER_BRANCH = 2;

export interface BenchBranch {
  id: string;
  name: string;
  regionCode: string;
  /** Share of the customers whose home is one of its outlets. */
  weight: number;
}

export const BRANCHES: readonly BenchBranch[] = [
  { id: 'BR01', name: '杭州分行', regionCode: '330106', weight: 0.28 },
  { id: 'BR02', name: '宁波分行', regionCode: '330212', weight: 0.2 },
  { id: 'BR03', name: '温州分行', regionCode: '330382', weight: 0.17 },
  { id: 'BR04', name: '金华分行', regionCode: '330782', weight: 0.13 },
  { id: 'BR05', name: '绍兴分行', regionCode: '330602', weight: 0.12 },
  { id: 'BR06', name: '湖州分行', regionCode: '330502', weight: 0.1 },
];

export const outletId = (branch: number, outlet: number): string =>
  `${BRANCHES[branch].id}-OT${String(outlet + 1).padStart(2, '0')}`;

/** Staff of outlet `outlet` of branch `branch`: slots 0-5 relationship managers, 8 the lobby manager, 9 the head. */
export const outletStaffId = (branch: number, outlet: number, slot: number): string =>
  `E1${String((branch * OUTLETS_PER_BRANCH + outlet) * 10 + slot + 1).padStart(5, '0')}`;
export const LOBBY_SLOT = 8;
export const HEAD_SLOT = 9;
/** Branch heads E180001…, the head office's E180000. */
export const branchHeadId = (branch: number | null): string =>
  `E18${String(branch === null ? 0 : branch + 1).padStart(4, '0')}`;
export const privateBankerId = (branch: number, index: number): string =>
  `E19${String(branch * 10 + index + 1).padStart(4, '0')}`;

export interface BenchInstitution {
  id: string;
  parentId: string | null;
  level: InstitutionLevel;
  name: string;
  regionCode: string;
}

export function institutions(): BenchInstitution[] {
  return [
    {
      id: HEAD_OFFICE,
      parentId: null,
      level: InstitutionLevel.HeadOffice,
      name: '总行',
      regionCode: '330000',
    },
    ...BRANCHES.flatMap((branch, b): BenchInstitution[] => [
      {
        id: branch.id,
        parentId: HEAD_OFFICE,
        level: InstitutionLevel.Branch,
        name: branch.name,
        regionCode: branch.regionCode,
      },
      ...Array.from({ length: OUTLETS_PER_BRANCH }, (_, o) => ({
        id: outletId(b, o),
        parentId: branch.id,
        level: InstitutionLevel.Outlet,
        name: `${branch.name.slice(0, 2)}第${o + 1}支行`,
        regionCode: branch.regionCode,
      })),
    ]),
  ];
}

export interface BenchManager {
  id: string;
  institutionId: string;
  roles: ManagerRole[];
  name: string;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超'];
const staffName = (n: number): string => `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`;

export function managers(): BenchManager[] {
  const staff: Omit<BenchManager, 'name'>[] = [
    { id: branchHeadId(null), institutionId: HEAD_OFFICE, roles: [ManagerRole.InstitutionHead] },
  ];
  BRANCHES.forEach((branch, b) => {
    staff.push({ id: branchHeadId(b), institutionId: branch.id, roles: [ManagerRole.InstitutionHead] });
    for (let p = 0; p < PRIVATE_BANKERS_PER_BRANCH; p += 1)
      staff.push({ id: privateBankerId(b, p), institutionId: branch.id, roles: [ManagerRole.PrivateBanker] });
    for (let o = 0; o < OUTLETS_PER_BRANCH; o += 1) {
      const at = outletId(b, o);
      for (let r = 0; r < RELATIONSHIP_MANAGERS_PER_OUTLET; r += 1)
        staff.push({
          id: outletStaffId(b, o, r),
          institutionId: at,
          roles: [ManagerRole.RelationshipManager],
        });
      staff.push({
        id: outletStaffId(b, o, LOBBY_SLOT),
        institutionId: at,
        roles: [ManagerRole.LobbyManager],
      });
      staff.push({
        id: outletStaffId(b, o, HEAD_SLOT),
        institutionId: at,
        roles: [ManagerRole.InstitutionHead],
      });
    }
  });
  return staff.map((s, n) => ({ ...s, name: staffName(n) }));
}
