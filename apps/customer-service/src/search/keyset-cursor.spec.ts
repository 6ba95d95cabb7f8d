import { InvalidCursorError, decodeCursor, encodeCursor } from './keyset-cursor';

describe('keyset cursor', () => {
  it('round-trips the last customer id of a page', () => {
    expect(decodeCursor(encodeCursor({ customerId: 'C0000042' }))).toEqual({ customerId: 'C0000042' });
  });

  it('is opaque (no plain id in it) and URL-safe', () => {
    const cursor = encodeCursor({ customerId: 'C0000042' });
    expect(cursor).not.toContain('C0000042');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['empty', ''],
    ['JSON without id', Buffer.from('{"v":1}').toString('base64url')],
    ['another version', Buffer.from('{"v":2,"id":"C1"}').toString('base64url')],
    ['id too long', Buffer.from(JSON.stringify({ v: 1, id: 'x'.repeat(65) })).toString('base64url')],
  ])('rejects %s', (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
