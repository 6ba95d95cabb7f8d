import { RequestValidationException } from '@crm/http';
import { decodeCursor, encodeCursor, toPage } from './keyset-cursor';

describe('keyset cursors', () => {
  it('round-trips the sort key of the last row', () => {
    expect(decodeCursor(encodeCursor(['2026-06-01T00:00:00Z', 'abc']), 2)).toEqual([
      '2026-06-01T00:00:00Z',
      'abc',
    ]);
  });

  it.each([
    'nonsense',
    encodeCursor(['only-one']),
    Buffer.from('{"a":1}').toString('base64url'),
    encodeCursor([]),
  ])('rejects %s as a bad `cursor` field', (cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestValidationException);
    expect((error as RequestValidationException).errors).toEqual([
      { field: 'cursor', message: 'cursor is not a cursor this API issued' },
    ]);
  });

  it('gives a next cursor only when a row beyond the page was fetched', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage(rows, 2, (r) => [r.id]);
    expect(page.items).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual(['b']);
    expect(toPage(rows, 3, (r) => [r.id]).nextCursor).toBeNull();
  });
});
