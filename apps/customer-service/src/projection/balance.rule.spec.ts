import { balanceAfterEntry, supersedes, totalHoldings } from './balance.rule';

describe('balanceAfterEntry', () => {
  it('takes core banking’s balance after the entry as the truth', () => {
    expect(
      balanceAfterEntry('100.00', { creditDebitIndicator: 'CRDT', amount: '50.00', balanceAfter: '149.99' }),
    ).toBe('149.99');
  });

  it('adds credits and subtracts debits exactly when no balance is given', () => {
    expect(balanceAfterEntry('0.10', { creditDebitIndicator: 'CRDT', amount: '0.20' })).toBe('0.30');
    expect(balanceAfterEntry('100000000000000000.01', { creditDebitIndicator: 'DBIT', amount: '0.02' })).toBe(
      '99999999999999999.99',
    );
  });

  it('moves the balance the other way for a reversal of the original indicator', () => {
    expect(
      balanceAfterEntry('500.00', { creditDebitIndicator: 'CRDT', amount: '200.00', reversal: true }),
    ).toBe('300.00');
    expect(
      balanceAfterEntry('500.00', { creditDebitIndicator: 'DBIT', amount: '200.00', reversal: true }),
    ).toBe('700.00');
  });

  it('can go below zero (overdraft)', () => {
    expect(balanceAfterEntry('10.00', { creditDebitIndicator: 'DBIT', amount: '25.50' })).toBe('-15.50');
  });
});

describe('supersedes', () => {
  it('lets a later or equal observation replace the current one, never an earlier one', () => {
    const t = new Date('2026-01-01T00:00:00Z');
    expect(supersedes(null, t)).toBe(true);
    expect(supersedes(t, new Date(t.getTime() + 1))).toBe(true);
    expect(supersedes(t, t)).toBe(true);
    expect(supersedes(t, new Date(t.getTime() - 1))).toBe(false);
  });
});

describe('totalHoldings', () => {
  it('sums amounts as decimals, AUM being deposits plus wealth', () => {
    const totals = totalHoldings([
      { deposits: '0.10', wealth: '0.00', loans: '1000.00', cards: '0.00' },
      { deposits: '0.20', wealth: '50000.05', loans: '0.00', cards: '12.34' },
    ]);
    expect(totals).toEqual({
      aum: '50000.35',
      deposits: '0.30',
      wealth: '50000.05',
      loans: '1000.00',
      cards: '12.34',
    });
  });

  it('is zero for no holdings', () => {
    expect(totalHoldings([]).aum).toBe('0.00');
  });
});
