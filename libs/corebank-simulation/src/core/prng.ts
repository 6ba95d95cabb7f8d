import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';

/** Four 32-bit words from any labels, so independent streams can be derived from one seed. */
const seedWords = (parts: readonly (string | number)[]): [number, number, number, number] => {
  const digest = createHash('sha256').update(parts.map(String).join('\u001f')).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
};

/**
 * sfc32 (Chris Doty-Humphrey's small fast chaotic generator): seeded, reproducible, good enough for
 * simulation. Every value the simulator generates comes from one of these.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...labels: (string | number)[]) {
    [this.a, this.b, this.c, this.d] = seedWords(labels);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** One of the entries, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }

  /** Standard normal deviate (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * A money amount with a log-normal spread around `median` (sigma in log space), clamped to
   * [min, max] and rounded to `step` (0.01 for card spend, 100 for transfers people type in).
   * The random draw is a float; the amount is built exactly with decimal.js from it.
   */
  amount(options: { median: string; sigma: number; min: string; max: string; step?: string }): string {
    const raw = new Decimal(options.median).times(Math.exp(options.sigma * this.normal()).toFixed(6));
    const step = new Decimal(options.step ?? '0.01');
    const rounded = raw.dividedBy(step).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(step);
    return Decimal.max(options.min, Decimal.min(options.max, rounded)).toFixed(2);
  }

  /** A generator for a sub-stream that does not disturb this one's sequence beyond one draw. */
  fork(label: string): Prng {
    return new Prng(this.nextUint32(), label);
  }
}
