import { plainToInstance } from 'class-transformer';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, ValidateNested, validateSync } from 'class-validator';
import { EVENT_CATALOG } from './catalog';
import { EVENT_SAMPLES } from './event-samples';
import { passesContract } from './payload-check';

/** class-validator's answer; it throws on null, which no decoder hands it (the envelope wants an object). */
const classValidatorPasses = (instance: object | null): boolean =>
  instance !== null && validateSync(instance, { forbidUnknownValues: true }).length === 0;

const WRONG_VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x'.repeat(300),
  // 200 UTF-16 units, 100 characters to class-validator's length rules.
  '\u{20000}'.repeat(100),
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

describe('passesContract', () => {
  it.each(EVENT_CATALOG.map((d) => [d.type, d] as const))(
    'agrees with class-validator on %s and wrong values in each of its fields',
    (type, definition) => {
      let valid = 0;
      for (const [what, plain] of variantsOf(EVENT_SAMPLES[type] as Record<string, unknown>)) {
        const instance = plainToInstance(definition.payload, plain) as unknown as object | null;
        const expected = classValidatorPasses(instance);
        // Never yes where class-validator says no; and the same answer, so valid events take the fast path.
        expect({ what, passes: passesContract(definition.payload, plain) }).toEqual({
          what,
          passes: expected,
        });
        if (expected) valid += 1;
      }
      expect(valid).toBeGreaterThan(0);
    },
  );
});

class Inner {
  @IsString()
  name!: string;
}

class NestedWithoutType {
  @ValidateNested()
  inner!: Inner;
}

class NestedWithType {
  @ValidateNested({ each: true })
  @Type(() => Inner)
  inner!: Inner[];

  @IsOptional()
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsEmail()
  email?: string;
}

describe('passesContract beyond the contracts', () => {
  it.each([
    [
      'a nested object with no @Type (class-validator rejects it as unknown)',
      NestedWithoutType,
      { inner: { name: 'a' } },
    ],
    ['nested objects of the @Type', NestedWithType, { inner: [{ name: 'a' }, { name: 'b' }] }],
    ['a wrong nested element', NestedWithType, { inner: [{ name: 'a' }, { name: 1 }] }],
    ['a primitive where objects are nested', NestedWithType, { inner: ['a'] }],
    ['each of an array checked', NestedWithType, { inner: [], tags: ['a', 'b'] }],
    ['a wrong element of an array', NestedWithType, { inner: [], tags: ['a', 2] }],
    ['a constraint it does not inline, passing', NestedWithType, { inner: [], email: 'a@example.com' }],
    ['a constraint it does not inline, failing', NestedWithType, { inner: [], email: 'not an address' }],
  ])('agrees with class-validator on %s', (_what, cls, plain) => {
    const expected = classValidatorPasses(plainToInstance(cls as new () => object, plain));
    expect(passesContract(cls, plain)).toBe(expected);
  });
});
