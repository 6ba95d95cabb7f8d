/** The position after which the next page starts; opaque to callers. */
export interface KeysetPosition {
  customerId: string;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

const VERSION = 1;

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ v: VERSION, id: position.customerId }), 'utf8').toString('base64url');
}

/** Throws InvalidCursorError for anything encodeCursor did not produce. */
export function decodeCursor(cursor: string): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API returned');
  }
  const { v, id } = (parsed ?? {}) as { v?: unknown; id?: unknown };
  if (v !== VERSION || typeof id !== 'string' || id.length === 0 || id.length > 64) {
    throw new InvalidCursorError('cursor is not one this API returned');
  }
  return { customerId: id };
}
