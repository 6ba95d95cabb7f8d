import { DEFAULT_VALUE_TIER_THRESHOLDS, valueTierOf } from './value-tier.rule';

const thresholds = { top: '1000000.00', important: '300000.00', core: '50000.00' };
const tier = (aumAvgMtd: string, assetAccountsHeld = 1) =>
  valueTierOf({ aumAvgMtd, assetAccountsHeld }, thresholds);

describe('value tiers by month-to-date daily-average AUM', () => {
  it.each([
    ['1000000.00', 'top'],
    ['999999.99', 'important'],
    ['300000.00', 'important'],
    ['299999.99', 'core'],
    ['50000.00', 'core'],
    ['49999.99', 'mass'],
    ['0.01', 'mass'],
  ])('puts %s in %s: a figure exactly at a threshold is in the higher tier', (average, expected) => {
    expect(tier(average)).toBe(expected);
  });

  it('gives a customer holding deposit or wealth accounts the mass tier even at zero', () => {
    expect(tier('0.00', 1)).toBe('mass');
  });

  it('gives no tier to a customer with no such account and no balance this month', () => {
    expect(tier('0.00', 0)).toBeNull();
  });

  it('keeps a tier for this month’s balance of accounts closed since', () => {
    expect(tier('60000.00', 0)).toBe('core');
  });

  it('ships defaults that decrease', () => {
    const { top, important, core } = DEFAULT_VALUE_TIER_THRESHOLDS;
    expect([Number(top) > Number(important), Number(important) > Number(core), Number(core) > 0]).toEqual([
      true,
      true,
      true,
    ]);
  });
});
