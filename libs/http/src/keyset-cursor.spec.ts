import { KeysetCursor, isIsoInstant, toPage } from './keyset-cursor';
import { RequestValidationException } from './request-validation';

const VISITS = new KeysetCursor('visits', ['timestamp', 'uuid'] as const);
const VERSIONS = new KeysetCursor('versions', ['int'] as const);
const CUSTOMERS = new KeysetCursor('customers', ['key'] as const);
const ID = '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11';

const raw = (body: unknown): string => Buffer.from(JSON.stringify(body)).toString('base64url');

function fieldsOf(decode: () => unknown): string[] {
  try {
    decode();
  } catch (error) {
    if (error instanceof RequestValidationException) return error.errors.map((e) => e.field);
    throw error;
  }
  throw new Error('decoded');
}

describe('KeysetCursor', () => {
  it('decodes what it encoded, typed by its schema', () => {
    const [visitedAt, id] = VISITS.decode(VISITS.encode(['2026-06-01T10:00:00.123456+08:00', ID]));
    expect([visitedAt, id]).toEqual(['2026-06-01T10:00:00.123456+08:00', ID]);
    const [version] = VERSIONS.decode(VERSIONS.encode([42]));
    expect(version).toBe(42);
    expect(CUSTOMERS.decode(CUSTOMERS.encode(['C0000042']))).toEqual(['C0000042']);
  });

  it.each([
    ['not base64url', '!!!'],
    ['empty', ''],
    ['not JSON', Buffer.from('2025|x').toString('base64url')],
    ['a bare array (an older format)', raw(['2026-06-01T10:00:00Z', ID])],
    ['another version', raw({ v: 2, k: 'visits', p: ['2026-06-01T10:00:00Z', ID] })],
    ['a huge version', raw({ v: 1e308, k: 'visits', p: ['2026-06-01T10:00:00Z', ID] })],
    ['another list', raw({ v: 1, k: 'alerts', p: ['2026-06-01T10:00:00Z', ID] })],
    ['too few values', raw({ v: 1, k: 'visits', p: ['2026-06-01T10:00:00Z'] })],
    ['too many values', raw({ v: 1, k: 'visits', p: ['2026-06-01T10:00:00Z', ID, 'x'] })],
    ['a number for a timestamp', raw({ v: 1, k: 'visits', p: [1, ID] })],
    ['"1" for a timestamp (Date.parse accepts it)', raw({ v: 1, k: 'visits', p: ['1', ID] })],
    ['a date without a zone', raw({ v: 1, k: 'visits', p: ['2026-06-01T10:00:00', ID] })],
    ['the 30th of February', raw({ v: 1, k: 'visits', p: ['2026-02-30T10:00:00Z', ID] })],
    ['year 0', raw({ v: 1, k: 'visits', p: ['0000-01-01T00:00:00Z', ID] })],
    ['36 dashes for a uuid', raw({ v: 1, k: 'visits', p: ['2026-06-01T10:00:00Z', '-'.repeat(36)] })],
    ['a NUL in a value', raw({ v: 1, k: 'visits', p: ['2026-06-01T10:00:00Z\u0000', ID] })],
    ['too long', 'A'.repeat(600)],
  ])('refuses %s with a 400 naming the field', (_case, cursor) => {
    expect(fieldsOf(() => VISITS.decode(cursor, 'cursor'))).toEqual(['cursor']);
  });

  it.each([
    ['a fraction', 1.5],
    ['a negative', -1],
    ['beyond PostgreSQL integer', 2_147_483_648],
    ['a string', '7'],
  ])('refuses %s for an int', (_case, value) => {
    expect(fieldsOf(() => VERSIONS.decode(raw({ v: 1, k: 'versions', p: [value] })))).toEqual(['cursor']);
  });

  it.each([
    ['empty', ''],
    ['longer than 64', 'C'.repeat(65)],
    ['a control character', 'C1\u0000'],
    ['a line break', 'C1\n'],
  ])('refuses %s for a key', (_case, value) => {
    expect(fieldsOf(() => CUSTOMERS.decode(raw({ v: 1, k: 'customers', p: [value] })))).toEqual(['cursor']);
  });
});

describe('isIsoInstant', () => {
  it.each(['2024-02-29T00:00:00Z', '2026-06-01T02:00:00.5-03:30', '0001-01-01T00:00:00+00:00'])(
    'accepts %s',
    (value) => expect(isIsoInstant(value)).toBe(true),
  );
  it.each(['1', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-06-01T24:00:00Z', '2026-06-01'])(
    'refuses %s',
    (value) => expect(isIsoInstant(value)).toBe(false),
  );
});

describe('toPage', () => {
  it('gives a cursor to the last item only when another page exists', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage(rows, 2, CUSTOMERS, (r) => [r.id]);
    expect(page.items).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(CUSTOMERS.decode(page.nextCursor!)).toEqual(['b']);
    expect(toPage(rows, 3, CUSTOMERS, (r) => [r.id]).nextCursor).toBeNull();
  });
});
