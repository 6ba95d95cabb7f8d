import { LifecycleInput, lifecycleStageOf } from './lifecycle-stage.rule';

const D = '2024-03-31';
const base: LifecycleInput = {
  businessDate: D,
  firstHeldOn: '2020-05-01',
  holdingsHeld: 2,
  hadBalance90d: true,
  transactions90d: 0,
  aumAvg90d: '100000.00',
  aumAvgPrev90d: '100000.00',
};
const stage = (changes: Partial<LifecycleInput>) => lifecycleStageOf({ ...base, ...changes });

describe('lifecycle stage', () => {
  it('is prospect for a customer who never held a product', () => {
    expect(stage({ firstHeldOn: null, holdingsHeld: 0, hadBalance90d: false })).toBe('prospect');
  });

  it('is lost once every product is closed or settled', () => {
    expect(stage({ holdingsHeld: 0 })).toBe('lost');
    expect(stage({ holdingsHeld: 0, firstHeldOn: '2024-03-20' })).toBe('lost');
  });

  it('is lost with products open but no balance and no transaction for 90 days, once the first product is that old', () => {
    expect(stage({ hadBalance90d: false, firstHeldOn: '2024-01-01' })).toBe('lost');
    expect(stage({ hadBalance90d: false, transactions90d: 1 })).toBe('mature');
    // Day 90 of an empty new account: still new.
    expect(stage({ hadBalance90d: false, firstHeldOn: '2024-01-02' })).toBe('new');
  });

  it('is new for 90 days from the first product, the date counted', () => {
    expect(stage({ firstHeldOn: D })).toBe('new');
    expect(stage({ firstHeldOn: '2024-01-02' })).toBe('new');
    expect(stage({ firstHeldOn: '2024-01-01' })).toBe('growing');
  });

  it('is declining when the last 90 days’ average AUM fell by more than 20%', () => {
    expect(stage({ aumAvg90d: '79999.99' })).toBe('declining');
    expect(stage({ aumAvg90d: '80000.00' })).toBe('mature');
  });

  it('puts declining before growing for a young relationship', () => {
    expect(stage({ firstHeldOn: '2023-10-01', aumAvg90d: '10000.00' })).toBe('declining');
  });

  it('is growing within a year of the first product, or when average AUM rose by more than 10%', () => {
    expect(stage({ firstHeldOn: '2023-04-02' })).toBe('growing');
    expect(stage({ firstHeldOn: '2023-04-01' })).toBe('mature');
    expect(stage({ aumAvg90d: '110000.01' })).toBe('growing');
    expect(stage({ aumAvg90d: '110000.00' })).toBe('mature');
    expect(stage({ aumAvgPrev90d: '0.00', aumAvg90d: '0.01' })).toBe('growing');
  });

  it('is mature for an old, steady relationship, and for one with loans only', () => {
    expect(stage({})).toBe('mature');
    expect(stage({ aumAvg90d: '0.00', aumAvgPrev90d: '0.00' })).toBe('mature');
  });
});
