import { rankClaims } from './arbitration.rule';

describe('rankClaims', () => {
  it('puts the higher priority first, whatever its value', () => {
    const ranked = rankClaims([
      { campaignId: 'A', priority: 1, expectedValue: '9000.00' },
      { campaignId: 'B', priority: 5, expectedValue: '10.00' },
    ]);
    expect(ranked.map((c) => c.campaignId)).toEqual(['B', 'A']);
  });

  it('breaks a tie in priority by expected value, compared as decimals', () => {
    const ranked = rankClaims([
      { campaignId: 'A', priority: 3, expectedValue: '99.99' },
      { campaignId: 'B', priority: 3, expectedValue: '100.00' },
    ]);
    expect(ranked.map((c) => c.campaignId)).toEqual(['B', 'A']);
  });

  it('orders equal claims by campaign id, so every instance decides alike', () => {
    const claims = [
      { campaignId: 'C', priority: 3, expectedValue: '1.00' },
      { campaignId: 'A', priority: 3, expectedValue: '1.00' },
      { campaignId: 'B', priority: 3, expectedValue: '1.00' },
    ];
    expect(rankClaims(claims).map((c) => c.campaignId)).toEqual(['A', 'B', 'C']);
    expect(rankClaims([...claims].reverse()).map((c) => c.campaignId)).toEqual(['A', 'B', 'C']);
  });
});
