import { Arm, armOf } from './control-group.rule';

const customers = Array.from({ length: 20_000 }, (_, i) => `C${String(100_000_000_000 + i)}`);

describe('armOf', () => {
  it('holds back the configured share, within sampling error', () => {
    const control = customers.filter((c) => armOf('CMP-1', c, 0.1) === Arm.Control).length;
    // 3 standard deviations of a binomial(20000, 0.1): 127.
    expect(Math.abs(control - 2_000)).toBeLessThan(127);
  });

  it('answers the same every time', () => {
    const first = customers.slice(0, 500).map((c) => armOf('CMP-1', c, 0.1));
    expect(customers.slice(0, 500).map((c) => armOf('CMP-1', c, 0.1))).toEqual(first);
  });

  it('draws independently per campaign', () => {
    const heldBackByBoth = customers.filter(
      (c) => armOf('CMP-1', c, 0.1) === Arm.Control && armOf('CMP-2', c, 0.1) === Arm.Control,
    ).length;
    // Independent draws overlap on about 1% (200); the same draw would overlap on 10%.
    expect(heldBackByBoth).toBeGreaterThan(130);
    expect(heldBackByBoth).toBeLessThan(270);
  });

  it('contacts everyone with no control group, and no one with all held back', () => {
    expect(customers.slice(0, 200).every((c) => armOf('CMP-1', c, 0) === Arm.Treatment)).toBe(true);
    expect(customers.slice(0, 200).every((c) => armOf('CMP-1', c, 1) === Arm.Control)).toBe(true);
  });
});
