import { PotentialTag } from '@crm/contracts';
import {
  DEFAULT_POTENTIAL_TAG_PARAMETERS as P,
  TagInput,
  potentialTagsOf,
  tagFacts,
} from './potential-tag.rule';

const nobody: TagInput = {
  corporate: false,
  demandDeposits: '0.00',
  wealthProductsHeld: 0,
  transactions90d: 0,
  transactionAmount90d: '0.00',
  loansHeld: 1,
  aumAvg90d: '0.00',
  cardsHeld: 1,
  posCount90d: 0,
  remoteCount90d: 0,
  otherBankOutCount90d: 0,
  payrollBatches90d: 0,
  valueTier: null,
  churnScore: 0,
};
const tags = (changes: Partial<TagInput>) =>
  Object.fromEntries(potentialTagsOf({ ...nobody, ...changes }, P).map((t) => [t.tag, t.score]));

describe('potential-customer tags', () => {
  it('gives no tag without a reason', () => {
    expect(tags({})).toEqual({});
  });

  it('wealth management: idle demand deposits from 500000.00 and no wealth product, 50 at the threshold', () => {
    expect(tags({ demandDeposits: '499999.99' })).toEqual({});
    expect(tags({ demandDeposits: '500000.00' })).toEqual({ [PotentialTag.WealthManagement]: 50 });
    expect(tags({ demandDeposits: '800000.00' })).toEqual({ [PotentialTag.WealthManagement]: 80 });
    expect(tags({ demandDeposits: '1539000.00' })).toEqual({ [PotentialTag.WealthManagement]: 100 });
    expect(tags({ demandDeposits: '920000.00', wealthProductsHeld: 1 })).toEqual({});
    // Idle: moved at most 20% of it over 90 days.
    expect(tags({ demandDeposits: '500000.00', transactionAmount90d: '100000.00' })).toEqual({
      [PotentialTag.WealthManagement]: 50,
    });
    expect(tags({ demandDeposits: '500000.00', transactionAmount90d: '100000.01' })).toEqual({});
  });

  it('loan: an active individual without a loan and a 90-day average AUM from 50000.00', () => {
    const saver = { loansHeld: 0, transactions90d: 10, aumAvg90d: '50000.00' };
    expect(tags(saver)).toEqual({ [PotentialTag.Loan]: 50 });
    expect(tags({ ...saver, aumAvg90d: '75000.00' })).toEqual({ [PotentialTag.Loan]: 75 });
    expect(tags({ ...saver, transactions90d: 9 })).toEqual({});
    expect(tags({ ...saver, aumAvg90d: '49999.99' })).toEqual({});
    expect(tags({ ...saver, loansHeld: 1 })).toEqual({});
    expect(tags({ ...saver, corporate: true })).toEqual({});
  });

  it('credit card: an individual without a card paying at a terminal 20 times in 90 days', () => {
    expect(tags({ cardsHeld: 0, posCount90d: 19 })).toEqual({});
    expect(tags({ cardsHeld: 0, posCount90d: 20 })).toEqual({ [PotentialTag.CreditCard]: 50 });
    expect(tags({ cardsHeld: 0, posCount90d: 33 })).toEqual({ [PotentialTag.CreditCard]: 83 });
    expect(tags({ cardsHeld: 1, posCount90d: 60 })).toEqual({});
  });

  it('payroll agency: a corporate customer sending 20 transfers to other banks in 90 days, no payroll here', () => {
    const firm = { corporate: true, otherBankOutCount90d: 20 };
    expect(tags(firm)).toEqual({ [PotentialTag.PayrollAgency]: 50 });
    expect(tags({ ...firm, otherBankOutCount90d: 19 })).toEqual({});
    expect(tags({ ...firm, payrollBatches90d: 1 })).toEqual({});
    expect(tags({ ...firm, corporate: false })).toEqual({});
  });

  it('mobile activation: 20 transactions in 90 days, none by mobile or internet banking', () => {
    expect(tags({ transactions90d: 20 })).toEqual({ [PotentialTag.MobileActivation]: 50 });
    expect(tags({ transactions90d: 73 })).toEqual({ [PotentialTag.MobileActivation]: 100 });
    expect(tags({ transactions90d: 19 })).toEqual({});
    expect(tags({ transactions90d: 73, remoteCount90d: 1 })).toEqual({});
  });

  it('high value at risk: top or important tier with a churn score from 30, scoring the churn score', () => {
    expect(tags({ valueTier: 'top', churnScore: 30 })).toEqual({ [PotentialTag.HighValueAtRisk]: 30 });
    expect(tags({ valueTier: 'important', churnScore: 96 })).toEqual({ [PotentialTag.HighValueAtRisk]: 96 });
    expect(tags({ valueTier: 'important', churnScore: 29 })).toEqual({});
    expect(tags({ valueTier: 'core', churnScore: 96 })).toEqual({});
  });

  it('tells the facts behind a tag in words, money as decimal strings', () => {
    expect(
      tagFacts(PotentialTag.WealthManagement, {
        ...nobody,
        demandDeposits: '800000.00',
        transactionAmount90d: '0',
      }),
    ).toEqual([
      'demand deposits of 800000.00 CNY at the date',
      '0.00 CNY moved by the customer over the last 90 days',
      'holds no wealth product',
    ]);
  });
});
