import { MarketingChannel } from '@crm/contracts';
import { CampaignStatus } from '../campaigns/campaign-lifecycle.rule';
import {
  EvaluationPhase,
  UpliftCaveat,
  conversionRate,
  costsOf,
  evaluationPhase,
  upliftOf,
} from './evaluation.rule';

describe('upliftOf', () => {
  it('matches OpenIntro’s blood thinners example: 14/40 against 11/50, 95% CI (−0.057, 0.317)', () => {
    // OpenIntro Statistics, difference of two proportions: survival after CPR with blood thinners.
    const uplift = upliftOf({ targeted: 40, converted: 14 }, { targeted: 50, converted: 11 });
    expect(uplift.absolute).toBeCloseTo(0.13, 10);
    expect(uplift.confidenceInterval).toEqual({
      level: 0.95,
      lower: expect.closeTo(-0.0572, 4),
      upper: expect.closeTo(0.3172, 4),
      method: 'wald',
    });
    expect(uplift.significant).toBe(false);
    expect(uplift.relative).toBeCloseTo(0.13 / 0.22, 10);
    expect(uplift.caveat).toBeNull();
  });

  it('matches Agresti’s Physicians’ Health Study: 189/11034 against 104/11037, 95% CI (0.005, 0.011)', () => {
    // Agresti, Categorical Data Analysis, §2.2: heart attacks on placebo against aspirin.
    const uplift = upliftOf({ targeted: 11034, converted: 189 }, { targeted: 11037, converted: 104 });
    expect(uplift.absolute).toBeCloseTo(0.0077, 4);
    expect(uplift.confidenceInterval!.lower).toBeCloseTo(0.005, 3);
    expect(uplift.confidenceInterval!.upper).toBeCloseTo(0.011, 3);
    expect(uplift.significant).toBe(true);
    expect(uplift.caveat).toBeNull();
  });

  it('gives a negative uplift when control converts more, significant when the interval is below zero', () => {
    const uplift = upliftOf({ targeted: 1000, converted: 100 }, { targeted: 1000, converted: 200 });
    expect(uplift.absolute).toBeCloseTo(-0.1, 10);
    expect(uplift.confidenceInterval!.upper).toBeLessThan(0);
    expect(uplift.significant).toBe(true);
  });

  it('has no uplift and no interval when an arm is empty', () => {
    for (const [treatment, control] of [
      [
        { targeted: 10, converted: 3 },
        { targeted: 0, converted: 0 },
      ],
      [
        { targeted: 0, converted: 0 },
        { targeted: 10, converted: 3 },
      ],
    ])
      expect(upliftOf(treatment, control)).toEqual({
        absolute: null,
        relative: null,
        confidenceInterval: null,
        significant: null,
        caveat: UpliftCaveat.ArmEmpty,
      });
  });

  it('gives no interval when every customer of each arm did the same: the Wald error is zero', () => {
    expect(upliftOf({ targeted: 20, converted: 0 }, { targeted: 20, converted: 0 })).toEqual({
      absolute: 0,
      relative: null,
      confidenceInterval: null,
      significant: null,
      caveat: UpliftCaveat.NoVariance,
    });
    expect(upliftOf({ targeted: 20, converted: 20 }, { targeted: 5, converted: 0 })).toMatchObject({
      absolute: 1,
      confidenceInterval: null,
      caveat: UpliftCaveat.NoVariance,
    });
  });

  it('keeps the interval within [−1, 1] and flags few events', () => {
    // p_t = 1, p_c = 0.5 on four customers: the raw interval reaches past 1.
    const uplift = upliftOf({ targeted: 4, converted: 4 }, { targeted: 2, converted: 1 });
    expect(uplift.absolute).toBe(0.5);
    expect(uplift.confidenceInterval).toMatchObject({ lower: expect.closeTo(-0.193, 3), upper: 1 });
    expect(uplift.caveat).toBe(UpliftCaveat.FewEvents);
  });

  it('flags an arm with fewer than five non-conversions as well', () => {
    const uplift = upliftOf({ targeted: 100, converted: 97 }, { targeted: 100, converted: 50 });
    expect(uplift.confidenceInterval).not.toBeNull();
    expect(uplift.caveat).toBe(UpliftCaveat.FewEvents);
  });
});

describe('conversionRate', () => {
  it('is conversions over everyone targeted, null for an empty arm', () => {
    expect(conversionRate({ targeted: 8, converted: 2 })).toBe(0.25);
    expect(conversionRate({ targeted: 0, converted: 0 })).toBeNull();
  });
});

describe('costsOf', () => {
  const base = {
    costPerContact: { [MarketingChannel.Sms]: '0.35', [MarketingChannel.ManagerTask]: '5.00' },
    conversionValue: '1000.00',
    treatment: { targeted: 10, converted: 6 },
    control: { targeted: 10, converted: 1 },
  };

  it('sums contacts times cost per channel and divides by conversions and incremental conversions', () => {
    expect(
      costsOf({
        ...base,
        contactsByChannel: [
          { channel: MarketingChannel.Sms, contacts: 8 },
          { channel: MarketingChannel.ManagerTask, contacts: 1 },
        ],
      }),
    ).toEqual({
      byChannel: [
        { channel: 'sms', contacts: 8, costPerContact: '0.35', cost: '2.80' },
        { channel: 'manager-task', contacts: 1, costPerContact: '5.00', cost: '5.00' },
      ],
      total: '7.80',
      perConversion: '1.30',
      incrementalConversions: '5.00',
      perIncrementalConversion: '1.56',
      incrementalValue: '5000.00',
    });
  });

  it('computes in decimals, not binary floating point: cents round half up', () => {
    const costs = costsOf({
      ...base,
      costPerContact: { [MarketingChannel.Sms]: '0.1', [MarketingChannel.Email]: '0.2' },
      contactsByChannel: [
        { channel: MarketingChannel.Sms, contacts: 1 },
        { channel: MarketingChannel.Email, contacts: 1 },
        { channel: MarketingChannel.Lobby, contacts: 7 },
      ],
      treatment: { targeted: 10, converted: 2 },
    });
    // 0.1 + 0.2 is 0.30000000000000004 in floating point; a lobby offer without a cost costs nothing.
    expect(costs.total).toBe('0.30');
    expect(costs.byChannel[2]).toEqual({
      channel: 'lobby',
      contacts: 7,
      costPerContact: '0.00',
      cost: '0.00',
    });
    // 2.01 / 2 = 1.005: a float rounds it to 1.00, half up makes it 1.01.
    expect(
      costsOf({
        ...base,
        costPerContact: { [MarketingChannel.Sms]: '0.67' },
        contactsByChannel: [{ channel: MarketingChannel.Sms, contacts: 3 }],
        treatment: { targeted: 10, converted: 2 },
      }).perConversion,
    ).toBe('1.01');
  });

  it('scales control’s conversions to treatment’s size for the incremental conversions', () => {
    const costs = costsOf({
      ...base,
      contactsByChannel: [{ channel: MarketingChannel.Sms, contacts: 900 }],
      treatment: { targeted: 900, converted: 90 },
      control: { targeted: 100, converted: 5 },
    });
    // 90 − 5 · 900/100 = 45; 900 · 0.35 = 315.00.
    expect(costs).toMatchObject({
      total: '315.00',
      incrementalConversions: '45.00',
      perIncrementalConversion: '7.00',
      incrementalValue: '45000.00',
    });
  });

  it('has no cost per conversion without conversions, none per incremental one without any', () => {
    const costs = costsOf({
      ...base,
      contactsByChannel: [{ channel: MarketingChannel.Sms, contacts: 10 }],
      treatment: { targeted: 10, converted: 1 },
      control: { targeted: 10, converted: 2 },
    });
    expect(costs).toMatchObject({
      perConversion: '3.50',
      incrementalConversions: '-1.00',
      perIncrementalConversion: null,
      incrementalValue: '-1000.00',
    });
    expect(
      costsOf({
        ...base,
        contactsByChannel: [],
        treatment: { targeted: 10, converted: 0 },
        control: { targeted: 0, converted: 0 },
      }),
    ).toEqual({
      byChannel: [],
      total: '0.00',
      perConversion: null,
      incrementalConversions: null,
      perIncrementalConversion: null,
      incrementalValue: null,
    });
  });
});

describe('evaluationPhase', () => {
  const windowEnd = new Date('2026-04-30T16:00:00Z');
  it('is live while the campaign may still contact, attributing until the window closes, then final', () => {
    for (const status of [CampaignStatus.Draft, CampaignStatus.Running, CampaignStatus.Paused])
      expect(evaluationPhase(status, windowEnd, windowEnd.getTime() + 1)).toBe(EvaluationPhase.Live);
    for (const status of [CampaignStatus.Completed, CampaignStatus.Cancelled]) {
      expect(evaluationPhase(status, windowEnd, windowEnd.getTime() - 1)).toBe(EvaluationPhase.Attributing);
      expect(evaluationPhase(status, windowEnd, windowEnd.getTime())).toBe(EvaluationPhase.Final);
    }
  });
});
