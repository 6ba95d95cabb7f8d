import { createHash } from 'node:crypto';
import {
  EventTypes,
  MarketingChannel,
  type AccountOpenedPayload,
  type ContactRequestedPayload,
} from '@crm/contracts';
import { buildScenario } from '../scenarios/scenario.registry';
import {
  DEFAULT_UPLIFT,
  describeUplift,
  expectedConversion,
  upliftProductProblem,
  upliftResponder,
  type UpliftSettings,
} from './campaign-uplift';
import { ContactOutcome } from './contact-response';
import type { DueEvent } from './due-event';

const SEED = 42;
const run = buildScenario('campaign-uplift', { seed: SEED, start: Date.parse('2025-03-03T09:00:00+08:00') });
const segment = run.segment!;
const DUE_AT = '2025-03-03T10:00:00.000+08:00';
const WINDOW_OPENS = Date.parse(DUE_AT);

const contactFor = (customerId: string, contactId: string): ContactRequestedPayload => ({
  contactId,
  campaignId: 'CMP-uplift',
  customerId,
  channel: MarketingChannel.Sms,
  productCodes: [DEFAULT_UPLIFT.productCode],
  message: '一年期定期存款限时优惠',
  institutionId: segment.outlet.institutionId,
  managerId: null,
  dueAt: DUE_AT,
});

/** How campaign-service might split the segment: a hash of the customer id, one in ten to control. */
const inControl = (customerId: string) => createHash('sha256').update(customerId).digest()[0] < 26;

/** Contacts the treatment group, then reads who opened the product within the window, per group. */
function campaign(settings: UpliftSettings) {
  const responder = upliftResponder(run, SEED, settings);
  const ids = segment.members.map((m) => m.customer.profile.customerId);
  const treatment = ids.filter((id) => !inControl(id));
  const control = ids.filter(inControl);
  const due: DueEvent[] = treatment.flatMap((id, i) => responder.respond(contactFor(id, `contact-${i}`)).due);
  const converted = new Set(
    due
      .filter(({ at, event }) => {
        const opened = event.data as AccountOpenedPayload;
        return (
          event.type === EventTypes.AccountOpened &&
          opened.productCode === settings.productCode &&
          at >= WINDOW_OPENS &&
          at < WINDOW_OPENS + Math.max(settings.windowMs, settings.responseWithinMs)
        );
      })
      .map(({ event }) => event.subject),
  );
  const rate = (group: string[]) => group.filter((id) => converted.has(id)).length / group.length;
  return {
    responder,
    due,
    treatment,
    control,
    rates: { treatment: rate(treatment), control: rate(control) },
  };
}

describe('campaign uplift', () => {
  it('expects control at the base rate and treatment at base + (1 - base) × lift', () => {
    expect(expectedConversion({ base: 0.2, lift: 0.3 })).toEqual({
      control: 0.2,
      treatment: expect.closeTo(0.44, 10),
      uplift: expect.closeTo(0.24, 10),
    });
    expect(expectedConversion({ base: 0, lift: 1 })).toEqual({ control: 0, treatment: 1, uplift: 1 });
  });

  it('converts treatment and control at the rates it states, for a campaign contacting at the window start', () => {
    const { rates, treatment, control } = campaign(DEFAULT_UPLIFT);
    const expected = expectedConversion(DEFAULT_UPLIFT);
    expect(treatment.length).toBeGreaterThan(850);
    expect(control.length).toBeGreaterThan(70);
    // Three standard deviations: about 0.05 for ~900 treatment customers, 0.14 for ~100 in control.
    expect(Math.abs(rates.treatment - expected.treatment)).toBeLessThan(0.05);
    expect(Math.abs(rates.control - expected.control)).toBeLessThan(0.14);
  });

  it('opens the window once, at the first contact for the segment, and spreads the openings over it', () => {
    const { due, responder } = campaign({ ...DEFAULT_UPLIFT, lift: 0 });
    expect(responder.counts.get(ContactOutcome.Declines)).toBeGreaterThan(850);
    // Only the segment's own openings: about base × 1000 of them.
    expect(due.length).toBeGreaterThan(150);
    expect(due.length).toBeLessThan(250);
    expect(new Set(due.map((d) => d.event.subject)).size).toBe(due.length);
    const offsets = due.map((d) => d.at - WINDOW_OPENS);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(DEFAULT_UPLIFT.windowMs);
    expect(Math.max(...offsets)).toBeGreaterThan(DEFAULT_UPLIFT.windowMs * 0.9);
    for (const { event } of due) expect(event.correlationid).toBe(run.correlationId);
  });

  it('converts every contacted customer at lift 1 and no one of their own accord at base 0', () => {
    const { rates } = campaign({ ...DEFAULT_UPLIFT, base: 0, lift: 1 });
    expect(rates).toEqual({ treatment: 1, control: 0 });
  });

  it('refuses a scenario without a segment, and a product the segment cannot open', () => {
    const alertStory = buildScenario('large-inflow', { seed: SEED, start: WINDOW_OPENS });
    expect(() => upliftResponder(alertStory, SEED, DEFAULT_UPLIFT)).toThrow(/sets up no campaign segment/);
    expect(upliftProductProblem('TD-12M')).toBeUndefined();
    expect(upliftProductProblem('CL-WORKCAP')).toBe('CL-WORKCAP is for corporate customers');
    expect(upliftProductProblem('TD-3Y')).toMatch(/^TD-3Y is not in the product catalogue/);
    expect(() => upliftResponder(run, SEED, { ...DEFAULT_UPLIFT, productCode: 'TD-3Y' })).toThrow(RangeError);
  });

  it('tells the segment, the product and the expected rates', () => {
    const text = describeUplift(run, DEFAULT_UPLIFT, 'crm.campaign.contact');
    expect(text).toContain(`the 1000 customers this run registers at outlet ${segment.outlet.institutionId}`);
    expect(text).toContain('product: TD-12M 整存整取12个月');
    expect(text).toContain('control 20.0 %, treatment 44.0 % (= 0.2 + (1 - 0.2) × 0.3), uplift 24.0 %');
  });
});
