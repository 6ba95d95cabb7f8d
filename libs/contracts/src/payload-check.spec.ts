import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EVENT_CATALOG } from './catalog';
import { EVENT_SAMPLES } from './event-samples';
import { passesContractRules } from './payload-check';

/** class-validator's answer; it throws on null, which no decoder hands it (the envelope wants an object). */
const classValidatorPasses = (instance: object | null): boolean =>
  instance !== null && validateSync(instance, { forbidUnknownValues: true }).length === 0;

const WRONG_VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x'.repeat(300),
  0,
  -1,
  1.5,
  true,
  [],
  [{}],
  ['a'],
  {},
  { amount: '1.00', currency: 'CNY' },
  '2025-02-30',
  '2025-03-01',
  '2025-03-01T09:30:00.000+08:00',
  '2025-03-01T09:30:00',
  'CNY',
  '12.345',
  '1e3',
];

/** Each sample, and per property of it (nested ones too) each wrong value put in its place. */
function* variantsOf(sample: Record<string, unknown>): Generator<[string, unknown]> {
  yield ['the sample', sample];
  yield ['not an object', 'text'];
  yield ['an array', [sample]];
  yield ['null', null];
  yield ['an extra property', { ...sample, extra: 1 }];
  for (const [path, replace] of pathsOf(sample)) {
    for (const value of WRONG_VALUES) yield [`${path} = ${JSON.stringify(value)}`, replace(value)];
  }
}

function pathsOf(value: unknown, prefix = ''): [string, (v: unknown) => unknown][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const withChild = (v: unknown): unknown => {
      if (Array.isArray(value)) return value.map((c, i) => (String(i) === key ? v : c));
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      if (v === undefined) delete copy[key];
      else copy[key] = v;
      return copy;
    };
    const own: [string, (v: unknown) => unknown][] = [[path, withChild]];
    const nested = pathsOf(child, path).map(([p, replace]): [string, (v: unknown) => unknown] => [
      p,
      (v) => withChild(replace(v)),
    ]);
    return [...own, ...nested];
  });
}

describe('passesContractRules', () => {
  it.each(EVENT_CATALOG.map((d) => [d.type, d] as const))(
    'agrees with class-validator on %s and wrong values in each of its fields',
    (type, definition) => {
      let valid = 0;
      for (const [what, plain] of variantsOf(EVENT_SAMPLES[type] as Record<string, unknown>)) {
        const instance = plainToInstance(definition.payload, plain) as unknown as object | null;
        const expected = classValidatorPasses(instance);
        // Never yes where class-validator says no; and the same answer, so valid events take the fast path.
        expect({ what, passes: passesContractRules(instance) }).toEqual({ what, passes: expected });
        if (expected) valid += 1;
      }
      expect(valid).toBeGreaterThan(0);
    },
  );
});
