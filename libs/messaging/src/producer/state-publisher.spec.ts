import { stateEventId } from './state-publisher';

describe('stateEventId', () => {
  it('gives the same key the same UUID and another key another', () => {
    const id = stateEventId('2026-10-31:C1:2026-10-31T15:40:00.000Z');
    expect(id).toBe(stateEventId('2026-10-31:C1:2026-10-31T15:40:00.000Z'));
    expect(id).not.toBe(stateEventId('2026-10-31:C2:2026-10-31T15:40:00.000Z'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the UUID version 5 layout of the key’s SHA-1 (RFC 9562 bits)', () => {
    // sha1('abc') = a9993e364706816aba3e25717850c26c9cd0d89d
    expect(stateEventId('abc')).toBe('a9993e36-4706-516a-ba3e-25717850c26c');
  });
});
