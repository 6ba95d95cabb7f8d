import { RequestValidationException } from '@crm/http';
import { decodeCursor, encodeCursor } from './alert-inbox.service';

describe('alert inbox keyset cursor', () => {
  it('round-trips the last row’s raise time and id', () => {
    const id = '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11';
    expect(decodeCursor(encodeCursor('2025-03-01T01:00:00.000Z', id))).toEqual({
      raisedAt: '2025-03-01T01:00:00.000Z',
      id,
    });
  });

  it.each([
    'garbage',
    encodeCursor('not a time', '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11'),
    encodeCursor('2025-03-01T01:00:00Z', 'x'),
  ])('refuses %s as a 400 naming the cursor', (cursor) => {
    try {
      decodeCursor(cursor);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(RequestValidationException);
      expect((error as RequestValidationException).errors[0].field).toBe('cursor');
    }
  });
});
