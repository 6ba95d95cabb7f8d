import { SqlParams } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import { LifecycleInput, lifecycleStageOf, lifecycleStageSql } from './lifecycle-stage.rule';
import { rfmSegmentOf, rfmSegmentSql } from './rfm.rule';
import { TierInput, ValueTierThresholds, valueTierOf, valueTierSql } from './value-tier.rule';

/**
 * The close of business applies the profile rules in SQL, set-based; their TypeScript form states and tests
 * them. The two must agree on every case: here each SQL expression runs on Postgres over the cases.
 */
describe('profile rules: the SQL the close of business runs agrees with the TypeScript rules', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema('analytics_profile_rules');
  });

  afterAll(() => db.drop());

  /** Evaluates `expression` over rows of `columns` (each case a row), in case order. */
  async function evaluate(columns: Record<string, string>, cases: unknown[][], expression: string) {
    const p = new SqlParams();
    const names = Object.keys(columns);
    const rows = cases.map(
      (c, i) => `(${i}, ${c.map((v, j) => `${p.add(v)}::${columns[names[j]]}`).join(', ')})`,
    );
    const result: { value: string | null }[] = await db.dataSource.query(
      `SELECT (${expression})::text AS value FROM (VALUES ${rows.join(', ')}) AS t(n, ${names.join(', ')}) ORDER BY n`,
      p.values,
    );
    return result.map((r) => r.value);
  }

  it('value tiers, at and around every threshold', async () => {
    const thresholds: ValueTierThresholds = { top: '1000000.00', important: '300000.00', core: '50000.00' };
    const averages = [
      '0.00',
      '0.01',
      '49999.99',
      '50000.00',
      '299999.99',
      '300000.00',
      '999999.99',
      '1000000.00',
    ];
    const cases: TierInput[] = averages.flatMap((aumAvgMtd) =>
      [0, 1].map((assetAccountsHeld) => ({ aumAvgMtd, assetAccountsHeld })),
    );
    const p = {
      top: `'${thresholds.top}'::numeric`,
      important: `'${thresholds.important}'::numeric`,
      core: `'${thresholds.core}'::numeric`,
    };
    const sql = valueTierSql({ aumAvgMtd: 'avg', assetAccountsHeld: 'held' }, p);
    expect(
      await evaluate(
        { avg: 'numeric', held: 'int' },
        cases.map((c) => [c.aumAvgMtd, c.assetAccountsHeld]),
        sql,
      ),
    ).toEqual(cases.map((c) => valueTierOf(c, thresholds)));
  });

  it('lifecycle stages, over every combination of the edges of each input', async () => {
    const cases: LifecycleInput[] = [];
    for (const firstHeldOn of [
      null,
      '2024-03-31',
      '2024-01-02',
      '2024-01-01',
      '2023-04-02',
      '2023-04-01',
      '2019-01-01',
    ])
      for (const holdingsHeld of [0, 3])
        for (const [hadBalance90d, transactions90d] of [
          [false, 0],
          [false, 2],
          [true, 0],
        ] as const)
          for (const [aumAvg90d, aumAvgPrev90d] of [
            ['0.00', '0.00'],
            ['0.01', '0.00'],
            ['79999.99', '100000.00'],
            ['80000.00', '100000.00'],
            ['110000.00', '100000.00'],
            ['110000.01', '100000.00'],
          ])
            cases.push({
              businessDate: '2024-03-31',
              firstHeldOn,
              holdingsHeld,
              hadBalance90d,
              transactions90d,
              aumAvg90d,
              aumAvgPrev90d,
            });
    const sql = lifecycleStageSql({
      businessDate: `'2024-03-31'::date`,
      firstHeldOn: 'first',
      holdingsHeld: 'held',
      hadBalance90d: 'had',
      transactions90d: 'txns',
      aumAvg90d: 'recent',
      aumAvgPrev90d: 'before',
    });
    const values = cases.map((c) => [
      c.firstHeldOn,
      c.holdingsHeld,
      c.hadBalance90d,
      c.transactions90d,
      c.aumAvg90d,
      c.aumAvgPrev90d,
    ]);
    const types = {
      first: 'date',
      held: 'int',
      had: 'boolean',
      txns: 'int',
      recent: 'numeric',
      before: 'numeric',
    };
    expect(await evaluate(types, values, sql)).toEqual(cases.map(lifecycleStageOf));
  });

  it('RFM segments, for all 125 score combinations and none', async () => {
    const scores: (number | null)[][] = [[null, null, null]];
    for (const r of [1, 2, 3, 4, 5])
      for (const f of [1, 2, 3, 4, 5]) for (const m of [1, 2, 3, 4, 5]) scores.push([r, f, m]);
    const sql = rfmSegmentSql('r', 'f', 'm');
    expect(await evaluate({ r: 'int', f: 'int', m: 'int' }, scores, sql)).toEqual(
      scores.map(([r, f, m]) => (r === null ? null : rfmSegmentOf(r, f!, m!))),
    );
  });
});
