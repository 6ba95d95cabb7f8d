import { CoverageBasis, CoverageReason } from '@crm/contracts';
import {
  CardHolding,
  CoverageInput,
  CustomerHoldings,
  DepositHolding,
  LoanHolding,
  decideCoverage,
  isKeyCustomer,
} from './coverage.rule';

const thresholds = { assetThreshold: '1000000.00', loanThreshold: '5000000.00', cleanYears: 3 };

const deposit = (
  over: Partial<DepositHolding> & Pick<DepositHolding, 'institutionId' | 'balance'>,
): DepositHolding => ({
  accountId: `A-${over.institutionId}-${over.balance}`,
  openedOn: '2020-01-01',
  managerId: null,
  ...over,
});
const loan = (
  over: Partial<LoanHolding> & Pick<LoanHolding, 'institutionId' | 'managerId'>,
): LoanHolding => ({
  loanId: `L-${over.institutionId}`,
  outstanding: '100000.00',
  disbursedOn: '2021-01-01',
  ...over,
});
const card = (over: Partial<CardHolding> & Pick<CardHolding, 'institutionId'>): CardHolding => ({
  cardId: `C-${over.institutionId}`,
  managerId: null,
  creditLimit: '50000.00',
  issuedOn: '2022-01-01',
  ...over,
});

const holdings = (over: Partial<CustomerHoldings>): CustomerHoldings => ({
  deposits: [],
  loans: [],
  cards: [],
  lastCreditIncidentOn: null,
  ...over,
});

const decide = (over: Partial<CoverageInput> & { holdings: CustomerHoldings }) =>
  decideCoverage({ pins: [], privateBankerId: null, thresholds, asOf: '2026-06-30', ...over });

const auto = (institutionId: string, reason: CoverageReason, managerId: string | null = null) => ({
  institutionId,
  managerId,
  reason,
  basis: CoverageBasis.Automatic,
});

describe('decideCoverage: deposits', () => {
  it('makes the institution with the largest deposit total primary and the others secondary', () => {
    const result = decide({
      holdings: holdings({
        deposits: [
          deposit({ institutionId: 'OUT-2', balance: '30000.00' }),
          deposit({ institutionId: 'OUT-1', balance: '20000.00', accountId: 'A1' }),
          deposit({ institutionId: 'OUT-1', balance: '15000.00', accountId: 'A2' }),
        ],
      }),
    });
    // OUT-1 holds 35000.00 in two accounts, more than OUT-2's single 30000.00.
    expect(result.primary).toEqual(auto('OUT-1', CoverageReason.LargestDeposit));
    expect(result.secondary).toEqual([auto('OUT-2', CoverageReason.Deposit)]);
  });

  it('compares exact decimals, not floating point', () => {
    const result = decide({
      holdings: holdings({
        deposits: [
          deposit({ institutionId: 'OUT-1', balance: '0.10', accountId: 'A1' }),
          deposit({ institutionId: 'OUT-1', balance: '0.20', accountId: 'A2' }),
          deposit({ institutionId: 'OUT-2', balance: '0.30' }),
        ],
      }),
    });
    // 0.1 + 0.2 equals 0.3 exactly: a tie, decided by opening date and then the id.
    expect(result.primary?.institutionId).toBe('OUT-1');
  });

  it('takes the manager who sold the largest account at an institution', () => {
    const result = decide({
      holdings: holdings({
        deposits: [
          deposit({ institutionId: 'OUT-1', balance: '100.00', accountId: 'A1', managerId: 'M-small' }),
          deposit({ institutionId: 'OUT-1', balance: '900.00', accountId: 'A2', managerId: 'M-large' }),
          deposit({ institutionId: 'OUT-1', balance: '5000.00', accountId: 'A3' }),
        ],
      }),
    });
    expect(result.primary?.managerId).toBe('M-large');
  });

  it('has no coverage when the customer holds nothing', () => {
    expect(decide({ holdings: holdings({}) })).toEqual({
      primary: null,
      secondary: [],
      keyCustomer: false,
      privateBankerId: null,
      endedPins: [],
      privateBankerEnded: false,
    });
  });
});

describe('decideCoverage: the tie rule', () => {
  it('on equal balances picks the earliest-opened relationship', () => {
    const result = decide({
      holdings: holdings({
        deposits: [
          deposit({ institutionId: 'OUT-1', balance: '50000.00', openedOn: '2021-05-01' }),
          deposit({ institutionId: 'OUT-2', balance: '50000.00', openedOn: '2019-03-15' }),
        ],
      }),
    });
    expect(result.primary?.institutionId).toBe('OUT-2');
    expect(result.secondary.map((s) => s.institutionId)).toEqual(['OUT-1']);
  });

  it('uses the earliest account at an institution as its relationship date', () => {
    const result = decide({
      holdings: holdings({
        deposits: [
          deposit({ institutionId: 'OUT-1', balance: '25000.00', accountId: 'A1', openedOn: '2024-01-01' }),
          deposit({ institutionId: 'OUT-1', balance: '25000.00', accountId: 'A2', openedOn: '2018-01-01' }),
          deposit({ institutionId: 'OUT-2', balance: '50000.00', openedOn: '2019-01-01' }),
        ],
      }),
    });
    expect(result.primary?.institutionId).toBe('OUT-1');
  });

  it('on equal balances and dates picks the lowest institution id', () => {
    const result = decide({
      holdings: holdings({
        deposits: [
          deposit({ institutionId: 'OUT-9', balance: '50000.00' }),
          deposit({ institutionId: 'OUT-10', balance: '50000.00' }),
        ],
      }),
    });
    // Code-point order: 'OUT-10' < 'OUT-9'.
    expect(result.primary?.institutionId).toBe('OUT-10');
  });

  it('puts an unknown opening date after every known one', () => {
    const result = decide({
      holdings: holdings({
        deposits: [
          deposit({ institutionId: 'OUT-1', balance: '50000.00', openedOn: null }),
          deposit({ institutionId: 'OUT-2', balance: '50000.00', openedOn: '2025-01-01' }),
        ],
      }),
    });
    expect(result.primary?.institutionId).toBe('OUT-2');
  });

  it('between loans at two institutions: largest outstanding, then earliest disbursed', () => {
    const equal = decide({
      holdings: holdings({
        loans: [
          loan({
            institutionId: 'OUT-1',
            managerId: 'M1',
            outstanding: '200000.00',
            disbursedOn: '2024-01-01',
          }),
          loan({
            institutionId: 'OUT-2',
            managerId: 'M2',
            outstanding: '200000.00',
            disbursedOn: '2023-01-01',
          }),
        ],
      }),
    });
    expect(equal.primary).toEqual(auto('OUT-2', CoverageReason.Loan, 'M2'));
    expect(equal.secondary).toEqual([auto('OUT-1', CoverageReason.Loan, 'M1')]);
  });
});

describe('decideCoverage: loans and cards', () => {
  it('makes the lending institution primary and the lending manager primary manager, deposits secondary', () => {
    const result = decide({
      holdings: holdings({
        deposits: [deposit({ institutionId: 'OUT-1', balance: '9000000.00', managerId: 'M-dep' })],
        loans: [loan({ institutionId: 'OUT-2', managerId: 'M-loan' })],
      }),
    });
    expect(result.primary).toEqual(auto('OUT-2', CoverageReason.Loan, 'M-loan'));
    expect(result.secondary).toEqual([auto('OUT-1', CoverageReason.Deposit, 'M-dep')]);
  });

  it('lets a card follow the loan rule when there is no loan', () => {
    const result = decide({
      holdings: holdings({
        deposits: [deposit({ institutionId: 'OUT-1', balance: '9000000.00' })],
        cards: [card({ institutionId: 'OUT-3', managerId: 'M-card' })],
      }),
    });
    expect(result.primary).toEqual(auto('OUT-3', CoverageReason.Card, 'M-card'));
    expect(result.secondary).toEqual([auto('OUT-1', CoverageReason.Deposit)]);
  });

  it('with a loan and a card: the loan primary, the card secondary with its manager', () => {
    const result = decide({
      holdings: holdings({
        loans: [loan({ institutionId: 'OUT-2', managerId: 'M-loan' })],
        cards: [card({ institutionId: 'OUT-3', managerId: 'M-card', creditLimit: '900000.00' })],
      }),
    });
    expect(result.primary).toEqual(auto('OUT-2', CoverageReason.Loan, 'M-loan'));
    expect(result.secondary).toEqual([auto('OUT-3', CoverageReason.Card, 'M-card')]);
  });

  it('lists an institution once, under its strongest reason', () => {
    const result = decide({
      holdings: holdings({
        deposits: [deposit({ institutionId: 'OUT-2', balance: '10.00', managerId: 'M-dep' })],
        loans: [loan({ institutionId: 'OUT-1', managerId: 'M-loan' })],
        cards: [card({ institutionId: 'OUT-2', managerId: 'M-card' })],
      }),
    });
    expect(result.secondary).toEqual([auto('OUT-2', CoverageReason.Card, 'M-card')]);
  });
});

describe('decideCoverage: manual pins', () => {
  const depositsAt12 = (b1: string, b2: string) =>
    holdings({
      deposits: [
        deposit({ institutionId: 'OUT-1', balance: b1, managerId: 'M-auto-1' }),
        deposit({ institutionId: 'OUT-2', balance: b2, managerId: 'M-auto-2' }),
      ],
    });

  it('puts a pinned manager in place of the automatic one, marked manual', () => {
    const result = decide({
      holdings: depositsAt12('500.00', '100.00'),
      pins: [{ institutionId: 'OUT-1', managerId: 'M-head' }],
    });
    expect(result.primary).toEqual({
      institutionId: 'OUT-1',
      managerId: 'M-head',
      reason: CoverageReason.LargestDeposit,
      basis: CoverageBasis.Manual,
    });
    expect(result.endedPins).toEqual([]);
  });

  it('keeps the pinned manager with their institution when the primary role moves away', () => {
    const result = decide({
      holdings: depositsAt12('100.00', '500.00'),
      pins: [{ institutionId: 'OUT-1', managerId: 'M-head' }],
    });
    expect(result.primary).toEqual(auto('OUT-2', CoverageReason.LargestDeposit, 'M-auto-2'));
    expect(result.secondary).toEqual([
      {
        institutionId: 'OUT-1',
        managerId: 'M-head',
        reason: CoverageReason.Deposit,
        basis: CoverageBasis.Manual,
      },
    ]);
  });

  it('ends a pin when its institution no longer covers the customer', () => {
    const result = decide({
      holdings: holdings({ deposits: [deposit({ institutionId: 'OUT-2', balance: '1.00' })] }),
      pins: [{ institutionId: 'OUT-1', managerId: 'M-head' }],
    });
    expect(result.endedPins).toEqual([{ institutionId: 'OUT-1', managerId: 'M-head' }]);
    expect(result.primary?.basis).toBe(CoverageBasis.Automatic);
  });
});

describe('key customers', () => {
  it('flags deposits strictly above the asset threshold', () => {
    const at = holdings({ deposits: [deposit({ institutionId: 'O', balance: '1000000.00' })] });
    const above = holdings({ deposits: [deposit({ institutionId: 'O', balance: '1000000.01' })] });
    expect(isKeyCustomer(at, thresholds, '2026-06-30')).toBe(false);
    expect(isKeyCustomer(above, thresholds, '2026-06-30')).toBe(true);
  });

  it('flags loans above the threshold only with a clean record for the last N years', () => {
    const big = (lastCreditIncidentOn: string | null) =>
      holdings({
        loans: [loan({ institutionId: 'O', managerId: 'M', outstanding: '5000000.01' })],
        lastCreditIncidentOn,
      });
    expect(isKeyCustomer(big(null), thresholds, '2026-06-30')).toBe(true);
    expect(isKeyCustomer(big('2023-06-29'), thresholds, '2026-06-30')).toBe(true);
    // An incident exactly three years back still counts.
    expect(isKeyCustomer(big('2023-06-30'), thresholds, '2026-06-30')).toBe(false);
    expect(isKeyCustomer(big('2026-01-10'), thresholds, '2026-06-30')).toBe(false);
  });

  it('does not flag loans at the threshold', () => {
    const at = holdings({ loans: [loan({ institutionId: 'O', managerId: 'M', outstanding: '5000000.00' })] });
    expect(isKeyCustomer(at, thresholds, '2026-06-30')).toBe(false);
  });

  it('keeps the private banker of a key customer and ends it when the flag goes', () => {
    const rich = holdings({ deposits: [deposit({ institutionId: 'O', balance: '2000000.00' })] });
    const poor = holdings({ deposits: [deposit({ institutionId: 'O', balance: '20.00' })] });
    expect(decide({ holdings: rich, privateBankerId: 'PB' })).toMatchObject({
      keyCustomer: true,
      privateBankerId: 'PB',
      privateBankerEnded: false,
    });
    expect(decide({ holdings: poor, privateBankerId: 'PB' })).toMatchObject({
      keyCustomer: false,
      privateBankerId: null,
      privateBankerEnded: true,
    });
  });
});
