import { RequestValidationException } from '@crm/http';

/**
 * Opaque keyset cursor: the sort key of the last row of a page, base64url JSON. A cursor is only
 * ever compared in SQL (`(a, b) < ($1, $2)`), so a forged one shows nothing outside the caller's scope.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number, field = 'cursor'): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    )
      return key.map(String);
  } catch {
    // Falls through to the error below.
  }
  throw new RequestValidationException([{ field, message: `${field} is not a cursor this API issued` }]);
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Rows were fetched with `limit + 1`: the extra row only says that another page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
