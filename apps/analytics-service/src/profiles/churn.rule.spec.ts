import { ChurnReason } from '@crm/contracts';
import { ChurnInput, DEFAULT_CHURN_PARAMETERS as P, churnFact, churnOf } from './churn.rule';

const steady: ChurnInput = {
  aum: '100000.00',
  aum30dBefore: '100000.00',
  otherBankOutCount30d: 0,
  otherBankOutAmount30d: '0.00',
  accountsClosed30d: 0,
  maturedNotRenewed30d: 0,
  transactions30d: 20,
  transactionsPrior90d: 60,
};
const churn = (changes: Partial<ChurnInput>) => churnOf({ ...steady, ...changes }, P);
const points = (changes: Partial<ChurnInput>) =>
  Object.fromEntries(churn(changes).reasons.map((r) => [r.reason, r.points]));

describe('churn warning', () => {
  it('gives a steady customer no reason and no warning', () => {
    expect(churn({})).toEqual({ score: 0, warned: false, reasons: [] });
  });

  it('names an AUM fall from 20%: half its weight there, all of it from 40%', () => {
    expect(points({ aum: '80000.01' })).toEqual({});
    expect(points({ aum: '80000.00' })).toEqual({ [ChurnReason.AumFall]: 18 });
    expect(points({ aum: '70000.00' })).toEqual({ [ChurnReason.AumFall]: 26 });
    expect(points({ aum: '60000.00' })).toEqual({ [ChurnReason.AumFall]: 35 });
    expect(points({ aum: '0.00' })).toEqual({ [ChurnReason.AumFall]: 35 });
  });

  it('judges AUM fall and transfers only from 10000.00 of AUM 30 days before', () => {
    expect(
      points({
        aum30dBefore: '9999.99',
        aum: '0.00',
        otherBankOutCount30d: 1,
        otherBankOutAmount30d: '9999.99',
      }),
    ).toEqual({});
    expect(points({ aum30dBefore: '10000.00', aum: '0.00' })).toEqual({ [ChurnReason.AumFall]: 35 });
  });

  it('names transfers to other banks from 10% of the AUM 30 days before', () => {
    expect(points({ otherBankOutCount30d: 2, otherBankOutAmount30d: '9999.99' })).toEqual({});
    expect(points({ otherBankOutCount30d: 2, otherBankOutAmount30d: '10000.00' })).toEqual({
      [ChurnReason.TransfersToOtherBanks]: 13,
    });
    expect(points({ otherBankOutCount30d: 6, otherBankOutAmount30d: '780000.00' })).toEqual({
      [ChurnReason.TransfersToOtherBanks]: 25,
    });
  });

  it('names closures and a maturity not renewed with their whole weight', () => {
    expect(points({ accountsClosed30d: 1, maturedNotRenewed30d: 1 })).toEqual({
      [ChurnReason.Closures]: 15,
      [ChurnReason.MaturityNotRenewed]: 10,
    });
  });

  it('names an activity drop of half the earlier monthly average, judged from 9 earlier transactions', () => {
    expect(points({ transactions30d: 11 })).toEqual({});
    expect(points({ transactions30d: 10 })).toEqual({ [ChurnReason.ActivityDrop]: 8 });
    expect(points({ transactions30d: 0 })).toEqual({ [ChurnReason.ActivityDrop]: 15 });
    expect(points({ transactions30d: 0, transactionsPrior90d: 8 })).toEqual({});
    expect(points({ transactions30d: 0, transactionsPrior90d: 9 })).toEqual({
      [ChurnReason.ActivityDrop]: 15,
    });
  });

  it('warns at the warning line, sums the points in the order of the reasons, at most 100', () => {
    const drained = churn({
      aum: '50000.00',
      aum30dBefore: '810000.00',
      otherBankOutCount30d: 6,
      otherBankOutAmount30d: '780000.00',
      accountsClosed30d: 1,
      maturedNotRenewed30d: 1,
      transactions30d: 6,
      transactionsPrior90d: 72,
    });
    expect(drained.reasons.map((r) => r.reason)).toEqual([
      ChurnReason.AumFall,
      ChurnReason.TransfersToOtherBanks,
      ChurnReason.Closures,
      ChurnReason.MaturityNotRenewed,
      ChurnReason.ActivityDrop,
    ]);
    expect(drained).toMatchObject({ score: 96, warned: true });
    expect(
      churnOf({ ...steady, aum: '0.00', accountsClosed30d: 1 }, { ...P, warningLine: 50 }),
    ).toMatchObject({
      score: 50,
      warned: true,
    });
    expect(churnOf({ ...steady, aum: '0.00', accountsClosed30d: 1 }, { ...P, warningLine: 51 }).warned).toBe(
      false,
    );
    const heavy = { ...P, weights: { ...P.weights, aumFall: 100, closures: 100 } };
    expect(churnOf({ ...steady, aum: '0.00', accountsClosed30d: 1 }, heavy).score).toBe(100);
  });

  it('tells each reason in words with decimal strings', () => {
    const input = { ...steady, aum: '50000.00', otherBankOutCount30d: 2, otherBankOutAmount30d: '45000.00' };
    expect(churnFact(ChurnReason.AumFall, input)).toBe(
      'AUM fell 50.0% in 30 days, from 100000.00 to 50000.00 CNY',
    );
    expect(churnFact(ChurnReason.TransfersToOtherBanks, input)).toBe(
      '2 transfer(s) to other banks in 30 days, 45000.00 CNY (45.0% of the AUM 30 days before)',
    );
    expect(churnFact(ChurnReason.ActivityDrop, { ...input, transactions30d: 3 })).toBe(
      '3 transaction(s) in the last 30 days against 20.0 a month over the 90 days before',
    );
  });
});
