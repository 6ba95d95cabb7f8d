import { EVENT_SAMPLES } from './event-samples';
import { EventTypes } from './catalog';
import { ISO_4217_CODES } from './iso-4217';
import { validateEventPayload } from './validate-payload';

const opened = (currency: string) =>
  validateEventPayload(EventTypes.AccountOpened, { ...EVENT_SAMPLES[EventTypes.AccountOpened], currency });
const posted = (currency: string) =>
  validateEventPayload(EventTypes.TransactionPosted, {
    ...EVENT_SAMPLES[EventTypes.TransactionPosted],
    amount: { amount: '100.00', currency },
  });

describe('currency codes', () => {
  it.each(['CNY', 'USD', 'HKD', 'EUR', 'XAU'])('%s is an ISO 4217 currency', (code) => {
    expect(opened(code).ok).toBe(true);
    expect(posted(code).ok).toBe(true);
  });

  it.each(['XYZ', 'ABC', 'HRK', 'XXX', 'cny', 'CN'])('%s is refused, naming the field', (code) => {
    expect(opened(code)).toEqual({
      ok: false,
      problems: [{ path: 'currency', messages: [expect.stringContaining('ISO 4217')] }],
    });
    expect(posted(code)).toEqual({
      ok: false,
      problems: [{ path: 'amount.currency', messages: [expect.stringContaining('ISO 4217')] }],
    });
  });

  it('lists three capital letters per code, each once', () => {
    expect([...ISO_4217_CODES].every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
    expect(ISO_4217_CODES.size).toBeGreaterThan(150);
  });
});
