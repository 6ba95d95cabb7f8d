import { RequestValidationException } from './request-validation';

/**
 * The kinds of value a keyset cursor can carry, each checked so that the repository can cast it
 * (`::timestamptz`, `::uuid`, `::int`) without the database ever refusing it:
 * - `timestamp`: an ISO 8601 instant with a zone (`2026-06-01T10:00:00.123456+08:00`), a real date;
 * - `uuid`: a canonical UUID;
 * - `int`: an integer within PostgreSQL's `integer`, 0 or more;
 * - `key`: an identifier (customer, manager, institution id): 1 to 64 characters, no control character.
 */
export type CursorFieldKind = 'timestamp' | 'uuid' | 'int' | 'key';

type ValueOfKind<K extends CursorFieldKind> = K extends 'int' ? number : string;

/** The decoded values of a cursor of schema S, typed position by position. */
export type CursorValues<S extends readonly CursorFieldKind[]> = {
  -readonly [I in keyof S]: ValueOfKind<S[I]>;
};

/** Version of the cursor wire format; a cursor of another version is refused, never guessed at. */
const FORMAT_VERSION = 1;
/** A cursor this API issues is well under this; anything longer is not worth decoding. */
const MAX_CURSOR_LENGTH = 512;
const MAX_INT = 2_147_483_647;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Control characters (NUL above all: PostgreSQL text cannot hold it) are what a forged key would carry.
// eslint-disable-next-line no-control-regex
const KEY = /^[^\u0000-\u001f\u007f]{1,64}$/u;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

/** True for an ISO instant whose fields are a real calendar date and time (no `Date.parse('1')` leniency). */
export function isIsoInstant(value: string): boolean {
  const match = ISO_INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A day or month out of range rolls over into another date.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isValid(kind: CursorFieldKind, value: unknown): boolean {
  switch (kind) {
    case 'timestamp':
      return typeof value === 'string' && isIsoInstant(value);
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_INT;
    case 'key':
      return typeof value === 'string' && KEY.test(value);
  }
}

/**
 * One keyset cursor format for every paged list: base64url of `{ v, k, p }` (format version, the
 * list's name, the sort key of the last row). Opaque to callers; a forged, truncated or foreign
 * cursor (another list's, another version's) is a 400 naming the field, never a database error.
 *
 *   const VISIT_CURSOR = new KeysetCursor('visits', ['timestamp', 'uuid'] as const);
 *   const [visitedAt, id] = VISIT_CURSOR.decode(query.cursor);
 */
export class KeysetCursor<const S extends readonly CursorFieldKind[]> {
  constructor(
    /** Names the list, so that one list's cursor is refused by another. */
    readonly list: string,
    readonly schema: S,
  ) {}

  encode(values: CursorValues<S>): string {
    return Buffer.from(JSON.stringify({ v: FORMAT_VERSION, k: this.list, p: values }), 'utf8').toString(
      'base64url',
    );
  }

  /** The typed sort key; throws RequestValidationException naming `field` for anything `encode` did not produce. */
  decode(cursor: string, field = 'cursor'): CursorValues<S> {
    const values = this.tryDecode(cursor);
    if (!values)
      throw new RequestValidationException([{ field, message: `${field} is not a cursor this API issued` }]);
    return values;
  }

  private tryDecode(cursor: string): CursorValues<S> | undefined {
    if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor))
      return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const { v, k, p } = parsed as { v?: unknown; k?: unknown; p?: unknown };
    if (v !== FORMAT_VERSION || k !== this.list || !Array.isArray(p) || p.length !== this.schema.length)
      return undefined;
    return this.schema.every((kind, i) => isValid(kind, p[i])) ? (p as CursorValues<S>) : undefined;
  }
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Rows were fetched with `limit + 1`: the extra row only says that another page exists. */
export function toPage<T, S extends readonly CursorFieldKind[]>(
  rows: T[],
  limit: number,
  cursor: KeysetCursor<S>,
  keyOf: (row: T) => CursorValues<S>,
): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursor.encode(keyOf(items[items.length - 1])) : null };
}
