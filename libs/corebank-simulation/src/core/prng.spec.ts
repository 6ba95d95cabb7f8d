import Decimal from 'decimal.js';
import { Prng } from './prng';

describe('Prng', () => {
  it('repeats its sequence for the same labels and differs for others', () => {
    const draw = (p: Prng) => Array.from({ length: 5 }, () => p.nextUint32());
    expect(draw(new Prng(42, 'a'))).toEqual(draw(new Prng(42, 'a')));
    expect(draw(new Prng(42, 'a'))).not.toEqual(draw(new Prng(43, 'a')));
    expect(draw(new Prng(42, 'a'))).not.toEqual(draw(new Prng(42, 'b')));
  });

  it('keeps integers within inclusive bounds and reaches both ends', () => {
    const p = new Prng(1);
    const seen = new Set(Array.from({ length: 2000 }, () => p.int(3, 7)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('builds amounts as exact decimal strings within bounds and on the step', () => {
    const p = new Prng(7);
    for (let i = 0; i < 500; i++) {
      const amount = p.amount({ median: '2000', sigma: 1.5, min: '100.00', max: '5000.00', step: '100' });
      expect(amount).toMatch(/^\d+\.00$/);
      const value = new Decimal(amount);
      expect(value.gte(100) && value.lte(5000)).toBe(true);
      expect(value.mod(100).isZero()).toBe(true);
    }
  });

  it('picks by weight', () => {
    const p = new Prng(9);
    const picks = Array.from({ length: 4000 }, () =>
      p.weighted([
        ['rare', 1],
        ['common', 9],
      ] as const),
    );
    const rare = picks.filter((x) => x === 'rare').length;
    expect(rare).toBeGreaterThan(250);
    expect(rare).toBeLessThan(550);
  });
});
