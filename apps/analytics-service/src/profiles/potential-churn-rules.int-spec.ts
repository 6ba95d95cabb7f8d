import { CHURN_REASONS, ChurnReason } from '@crm/contracts';
import { SqlParams } from '@crm/persistence';
import { createTestSchema, type TestSchema } from '@crm/testing';
import {
  ChurnInput,
  ChurnParameterSql,
  DEFAULT_CHURN_PARAMETERS,
  churnOf,
  churnPointsSql,
  churnScoreSql,
} from './churn.rule';
import {
  DEFAULT_POTENTIAL_TAG_PARAMETERS,
  PotentialTagParameterSql,
  TagInput,
  potentialTagsOf,
  potentialTagsSql,
} from './potential-tag.rule';

/**
 * The close of business decides potential tags and churn in SQL, set-based; their TypeScript form states and
 * tests them. Here each SQL expression runs on Postgres over the edges of every input, and must agree.
 */
describe('potential tags and churn: the SQL the close of business runs agrees with the TypeScript rules', () => {
  let db: TestSchema;

  beforeAll(async () => {
    db = await createTestSchema('analytics_potential_churn_rules');
  });

  afterAll(() => db.drop());

  /** Evaluates `expression(params)` over rows of `columns` (each case a row), in case order. */
  async function evaluate<T>(
    columns: Record<string, string>,
    cases: T[],
    valuesOf: (c: T) => unknown[],
    expression: (p: SqlParams) => string,
  ) {
    const p = new SqlParams();
    const names = Object.keys(columns);
    const rows = cases.map(
      (c, i) =>
        `(${i}, ${valuesOf(c)
          .map((v, j) => `${p.add(v)}::${columns[names[j]]}`)
          .join(', ')})`,
    );
    const sql = expression(p);
    const result: { value: string | null }[] = await db.dataSource.query(
      `SELECT (${sql})::text AS value FROM (VALUES ${rows.join(', ')}) AS t(n, ${names.join(', ')}) ORDER BY n`,
      p.values,
    );
    return result.map((r) => r.value);
  }

  it('churn: every reason’s points and the score, at and around each threshold', async () => {
    const cases: ChurnInput[] = [];
    for (const [aum30dBefore, aum] of [
      ['0.00', '0.00'],
      ['9999.99', '0.00'],
      ['10000.00', '0.00'],
      ['100000.00', '80000.01'],
      ['100000.00', '80000.00'],
      ['100000.00', '70000.00'],
      ['100000.00', '60000.01'],
      ['100000.00', '120000.00'],
      ['810000.00', '50123.45'],
    ])
      for (const [otherBankOutCount30d, otherBankOutAmount30d] of [
        [0, '0.00'],
        [1, '9999.99'],
        [1, '10000.00'],
        [3, '15000.00'],
        [6, '780000.00'],
      ] as const)
        for (const [accountsClosed30d, maturedNotRenewed30d] of [
          [0, 0],
          [1, 0],
          [2, 1],
        ])
          for (const [transactions30d, transactionsPrior90d] of [
            [0, 0],
            [0, 8],
            [0, 9],
            [11, 60],
            [10, 60],
            [1, 9],
            [6, 72],
          ])
            cases.push({
              aum,
              aum30dBefore,
              otherBankOutCount30d,
              otherBankOutAmount30d,
              accountsClosed30d,
              maturedNotRenewed30d,
              transactions30d,
              transactionsPrior90d,
            });
    const P = DEFAULT_CHURN_PARAMETERS;
    const columns = {
      aum: 'numeric',
      before: 'numeric',
      out_n: 'int',
      out_amount: 'numeric',
      closed: 'int',
      matured: 'int',
      t30: 'int',
      prior: 'int',
    };
    const values = (c: ChurnInput) => [
      c.aum,
      c.aum30dBefore,
      c.otherBankOutCount30d,
      c.otherBankOutAmount30d,
      c.accountsClosed30d,
      c.maturedNotRenewed30d,
      c.transactions30d,
      c.transactionsPrior90d,
    ];
    const expression = (p: SqlParams) => {
      const num = (v: string) => `${p.add(v)}::numeric`;
      const int = (v: number) => `${p.add(v)}::int`;
      const parameters: ChurnParameterSql = {
        weights: {
          aumFall: int(P.weights.aumFall),
          transfersToOtherBanks: int(P.weights.transfersToOtherBanks),
          closures: int(P.weights.closures),
          maturityNotRenewed: int(P.weights.maturityNotRenewed),
          activityDrop: int(P.weights.activityDrop),
        },
        minAum: num(P.minAum),
        aumFallShare: num(P.aumFallShare),
        transferShare: num(P.transferShare),
        activityDropShare: num(P.activityDropShare),
        minPriorTransactions: int(P.minPriorTransactions),
      };
      const points = churnPointsSql(
        {
          aum: 'aum',
          aum30dBefore: 'before',
          otherBankOutCount30d: 'out_n',
          otherBankOutAmount30d: 'out_amount',
          accountsClosed30d: 'closed',
          maturedNotRenewed30d: 'matured',
          transactions30d: 't30',
          transactionsPrior90d: 'prior',
        },
        parameters,
      );
      return `jsonb_build_object('score', ${churnScoreSql(points)}, 'points', jsonb_build_array(${CHURN_REASONS.map(
        (r) => points[r],
      ).join(', ')}))`;
    };
    const stated = (await evaluate(columns, cases, values, expression)).map((v) => JSON.parse(v!));
    const expected = cases.map((c) => {
      const { score, reasons } = churnOf(c, P);
      const of = (r: ChurnReason) => reasons.find((x) => x.reason === r)?.points ?? null;
      return { score, points: CHURN_REASONS.map(of) };
    });
    expect(stated).toEqual(expected);
    // The cases reach every reason, at half and at full weight.
    expect(new Set(expected.flatMap((e) => e.points)).size).toBeGreaterThan(6);
  });

  it('potential tags: which, and their scores, at and around each threshold', async () => {
    const P = DEFAULT_POTENTIAL_TAG_PARAMETERS;
    const base: TagInput = {
      corporate: false,
      demandDeposits: '0.00',
      wealthProductsHeld: 0,
      transactions90d: 0,
      transactionAmount90d: '0.00',
      loansHeld: 0,
      aumAvg90d: '0.00',
      cardsHeld: 0,
      posCount90d: 0,
      remoteCount90d: 0,
      otherBankOutCount90d: 0,
      payrollBatches90d: 0,
      valueTier: null,
      churnScore: 0,
    };
    const variations: Partial<TagInput>[] = [];
    for (const demandDeposits of ['499999.99', '500000.00', '749999.99', '1000000.00', '1539000.00'])
      for (const transactionAmount90d of ['0.00', '100000.00', '100000.01'])
        for (const wealthProductsHeld of [0, 1])
          variations.push({ demandDeposits, transactionAmount90d, wealthProductsHeld });
    for (const corporate of [false, true])
      for (const transactions90d of [0, 9, 10, 19, 20, 73])
        for (const [aumAvg90d, loansHeld] of [
          ['49999.99', 0],
          ['50000.00', 0],
          ['50000.00', 1],
          ['124999.99', 0],
        ] as const)
          for (const remoteCount90d of [0, 1])
            variations.push({ corporate, transactions90d, aumAvg90d, loansHeld, remoteCount90d });
    for (const corporate of [false, true])
      for (const [posCount90d, cardsHeld] of [
        [19, 0],
        [20, 0],
        [29, 0],
        [30, 0],
        [60, 1],
      ])
        for (const [otherBankOutCount90d, payrollBatches90d] of [
          [19, 0],
          [20, 0],
          [45, 0],
          [45, 1],
        ])
          variations.push({ corporate, posCount90d, cardsHeld, otherBankOutCount90d, payrollBatches90d });
    for (const valueTier of [null, 'mass', 'core', 'important', 'top'] as const)
      for (const churnScore of [0, 29, 30, 96]) variations.push({ valueTier, churnScore });
    const cases = variations.map((v) => ({ ...base, ...v }));
    const columns = {
      corporate: 'boolean',
      demand: 'numeric',
      wealth_held: 'int',
      t90: 'int',
      amount90: 'numeric',
      loans_held: 'int',
      avg90: 'numeric',
      cards_held: 'int',
      pos: 'int',
      remote: 'int',
      out90: 'int',
      payroll: 'int',
      tier: 'text',
      churn: 'int',
    };
    const values = (c: TagInput) => [
      c.corporate,
      c.demandDeposits,
      c.wealthProductsHeld,
      c.transactions90d,
      c.transactionAmount90d,
      c.loansHeld,
      c.aumAvg90d,
      c.cardsHeld,
      c.posCount90d,
      c.remoteCount90d,
      c.otherBankOutCount90d,
      c.payrollBatches90d,
      c.valueTier,
      c.churnScore,
    ];
    const expression = (p: SqlParams) => {
      const num = (v: string) => `${p.add(v)}::numeric`;
      const int = (v: number) => `${p.add(v)}::int`;
      const parameters: PotentialTagParameterSql = {
        wealthManagement: {
          minDemandDeposits: num(P.wealthManagement.minDemandDeposits),
          maxTurnoverShare: num(P.wealthManagement.maxTurnoverShare),
        },
        loan: { minAumAvg90d: num(P.loan.minAumAvg90d), minTransactions: int(P.loan.minTransactions) },
        creditCard: { minPosPurchases: int(P.creditCard.minPosPurchases) },
        payrollAgency: { minTransfers: int(P.payrollAgency.minTransfers) },
        mobileActivation: { minTransactions: int(P.mobileActivation.minTransactions) },
        highValueAtRisk: { minChurnScore: int(P.highValueAtRisk.minChurnScore) },
      };
      return potentialTagsSql(
        {
          corporate: 'corporate',
          demandDeposits: 'demand',
          wealthProductsHeld: 'wealth_held',
          transactions90d: 't90',
          transactionAmount90d: 'amount90',
          loansHeld: 'loans_held',
          aumAvg90d: 'avg90',
          cardsHeld: 'cards_held',
          posCount90d: 'pos',
          remoteCount90d: 'remote',
          otherBankOutCount90d: 'out90',
          payrollBatches90d: 'payroll',
          valueTier: 'tier',
          churnScore: 'churn',
        },
        parameters,
      );
    };
    const stated = (await evaluate(columns, cases, values, expression)).map((v) => JSON.parse(v!));
    const expected = cases.map((c) => potentialTagsOf(c, P));
    expect(stated).toEqual(expected);
    expect(new Set(expected.flatMap((tags) => tags.map((t) => t.tag))).size).toBe(6);
  });
});
