import { InstitutionLevel, ManagerRole } from '@crm/contracts';
import {
  BENCH_CUSTOMERS,
  BENCH_TRANSACTIONS,
  CARD_SPEND_SHARE,
  GENERATOR_VERSION,
  HEAD_SLOT,
  LOBBY_SLOT,
  OUTLETS_PER_BRANCH,
  RELATIONSHIP_MANAGERS_PER_OUTLET,
  apportion,
  bankShape,
  benchMonths,
  chunks,
  factsByMonth,
  fingerprintOf,
  institutions,
  managers,
  outletStaffId,
} from './analytics-bank.shape';

describe('the analytics benchmark bank', () => {
  const full = bankShape({ customers: BENCH_CUSTOMERS, transactions: BENCH_TRANSACTIONS });

  describe('shape', () => {
    it('defaults to the last day of a month and 13 months', () => {
      expect(full).toEqual({
        generator: GENERATOR_VERSION,
        customers: 1_000_000,
        transactions: 20_000_000,
        businessDate: '2026-10-31',
        months: 13,
      });
    });

    it('refuses a business date that is not the last day of its month, and counts too small to spread', () => {
      expect(() => bankShape({ customers: 1000, transactions: 10_000, businessDate: '2026-10-30' })).toThrow(
        /last day of a month/,
      );
      expect(
        bankShape({ customers: 1000, transactions: 10_000, businessDate: '2024-02-29' }).businessDate,
      ).toBe('2024-02-29');
      expect(() => bankShape({ customers: 99, transactions: 10_000 })).toThrow(/customers/);
      expect(() => bankShape({ customers: 100_000_001, transactions: 10_000 })).toThrow(/customers/);
      expect(() => bankShape({ customers: 1000, transactions: 129 })).toThrow(/transactions/);
      expect(() => bankShape({ customers: 1000.5, transactions: 10_000 })).toThrow(/customers/);
    });
  });

  describe('months', () => {
    const months = benchMonths('2026-10-31', 13);

    it('are the 13 months ending with the business date, back to back, named as the service names partitions', () => {
      expect(months.map((m) => m.month)).toEqual([
        '2025-10',
        '2025-11',
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
        '2026-05',
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
      ]);
      expect(months[0]).toEqual({
        index: 0,
        month: '2025-10',
        from: '2025-10-01',
        to: '2025-11-01',
        days: 31,
        partition: 'transaction_fact_2025_10',
      });
      for (let i = 1; i < months.length; i += 1) expect(months[i].from).toBe(months[i - 1].to);
      expect(months[12].to).toBe('2026-11-01');
      // 2025-10-01 to 2026-10-31, both included.
      expect(months.reduce((days, m) => days + m.days, 0)).toBe(396);
    });

    it('count February as the calendar does, leap years included', () => {
      expect(months.find((m) => m.month === '2026-02')?.days).toBe(28);
      expect(benchMonths('2024-12-31', 13).find((m) => m.month === '2024-02')?.days).toBe(29);
    });
  });

  describe('apportion', () => {
    it('splits a total exactly, each share within one of its exact proportion', () => {
      const weights = [1.1, 1.2, 1, 1, 1.05, 0.3, 2.7];
      for (const total of [0, 1, 7, 1_000, 20_000_000, 1_234_567]) {
        const shares = apportion(total, weights);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        const sum = weights.reduce((a, b) => a + b, 0);
        shares.forEach((share, i) => expect(Math.abs(share - (total * weights[i]) / sum)).toBeLessThan(1));
      }
    });

    it('gives the units left to the largest remainders, the earlier one on a tie', () => {
      expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
      expect(apportion(2, [1, 2, 2])).toEqual([0, 1, 1]);
      expect(apportion(5, [0, 1])).toEqual([0, 5]);
    });

    it('refuses weights that are all zero or negative', () => {
      expect(() => apportion(5, [0, 0])).toThrow(RangeError);
      expect(() => apportion(5, [2, -1])).toThrow(RangeError);
    });
  });

  describe('facts by month', () => {
    const facts = factsByMonth(full);

    it('add up to the shape’s transactions, 8% of each month card spends', () => {
      expect(facts.reduce((sum, f) => sum + f.entries + f.cardSpends, 0)).toBe(20_000_000);
      for (const f of facts)
        expect(f.cardSpends / (f.entries + f.cardSpends)).toBeCloseTo(CARD_SPEND_SHARE, 4);
    });

    it('follow the season and the bank’s growth', () => {
      const total = (month: string) => {
        const f = facts.find((x) => x.month.month === month)!;
        return f.entries + f.cardSpends;
      };
      // The Spring Festival month against the next one, the year end against the year's first month here.
      expect(total('2026-02') / total('2026-03')).toBeCloseTo(1.2 / 1.005, 3);
      expect(total('2025-12') / total('2025-11')).toBeCloseTo((1.1 / 1.05) * 1.005, 3);
      expect(total('2026-06')).toBeGreaterThan(total('2026-05'));
    });

    it('scale down exactly for a quick check', () => {
      const small = factsByMonth(bankShape({ customers: 10_000, transactions: 200_000 }));
      expect(small.reduce((sum, f) => sum + f.entries + f.cardSpends, 0)).toBe(200_000);
    });
  });

  it('chunks customers 1..N without gaps or overlaps', () => {
    expect(chunks(450_001, 200_000)).toEqual([
      { first: 1, last: 200_000 },
      { first: 200_001, last: 400_000 },
      { first: 400_001, last: 450_001 },
    ]);
    expect(chunks(100, 200_000)).toEqual([{ first: 1, last: 100 }]);
  });

  describe('fingerprint', () => {
    it('is the same for the same shape', () => {
      expect(fingerprintOf(full)).toBe(fingerprintOf({ ...full }));
    });

    it('changes with the counts, the business date and the generator', () => {
      const base = fingerprintOf(full);
      expect(fingerprintOf({ ...full, customers: 10_000 })).not.toBe(base);
      expect(fingerprintOf({ ...full, transactions: 200_000 })).not.toBe(base);
      expect(fingerprintOf({ ...full, businessDate: '2026-09-30' })).not.toBe(base);
      expect(fingerprintOf({ ...full, generator: GENERATOR_VERSION + 1 })).not.toBe(base);
    });
  });

  describe('institutions and managers', () => {
    const tree = institutions();
    const staff = managers();

    it('is a head office over six branches of eight outlets', () => {
      const byId = new Map(tree.map((i) => [i.id, i]));
      expect(byId.size).toBe(tree.length);
      expect(tree.filter((i) => i.level === InstitutionLevel.HeadOffice).map((i) => i.parentId)).toEqual([
        null,
      ]);
      expect(tree.filter((i) => i.level === InstitutionLevel.Branch)).toHaveLength(6);
      expect(tree.filter((i) => i.level === InstitutionLevel.Outlet)).toHaveLength(6 * OUTLETS_PER_BRANCH);
      for (const i of tree.filter((x) => x.parentId !== null)) {
        const parent = byId.get(i.parentId!);
        expect(parent?.level).toBe(
          i.level === InstitutionLevel.Outlet ? InstitutionLevel.Branch : InstitutionLevel.HeadOffice,
        );
        if (i.level === InstitutionLevel.Outlet) expect(i.regionCode).toBe(parent?.regionCode);
      }
    });

    it('staffs every outlet with relationship managers, a lobby manager and a head, each id once', () => {
      expect(new Set(staff.map((m) => m.id)).size).toBe(staff.length);
      for (const outlet of tree.filter((i) => i.level === InstitutionLevel.Outlet)) {
        const roles = staff.filter((m) => m.institutionId === outlet.id).flatMap((m) => m.roles);
        expect(roles.filter((r) => r === ManagerRole.RelationshipManager)).toHaveLength(
          RELATIONSHIP_MANAGERS_PER_OUTLET,
        );
        expect(roles.filter((r) => r === ManagerRole.LobbyManager)).toHaveLength(1);
        expect(roles.filter((r) => r === ManagerRole.InstitutionHead)).toHaveLength(1);
      }
      for (const institution of tree.filter((i) => i.level !== InstitutionLevel.Outlet))
        expect(
          staff.filter(
            (m) => m.institutionId === institution.id && m.roles.includes(ManagerRole.InstitutionHead),
          ),
        ).toHaveLength(1);
      expect(staff.filter((m) => m.roles.includes(ManagerRole.PrivateBanker))).toHaveLength(12);
    });

    it('numbers outlet staff as core banking numbers employees, E1 and five digits, apart for each outlet', () => {
      expect(outletStaffId(0, 0, 0)).toBe('E100001');
      expect(outletStaffId(5, 7, HEAD_SLOT)).toBe('E100480');
      expect(outletStaffId(0, 1, 0)).toBe('E100011');
      expect(outletStaffId(0, 0, LOBBY_SLOT)).toBe('E100009');
      for (const m of staff) expect(m.id).toMatch(/^E1\d{5}$/);
    });
  });
});
