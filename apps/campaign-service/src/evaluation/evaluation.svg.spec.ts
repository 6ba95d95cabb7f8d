import { EvaluationDto, EvaluationRow } from './evaluation.dto';
import { UpliftCaveat } from './evaluation.rule';
import { evaluationSvg } from './evaluation.svg';

const arm = (label: EvaluationRow, targeted: number, converted: number) => ({
  arm: label,
  targeted,
  contactedCustomers: label === EvaluationRow.Control ? 0 : targeted,
  contacts: label === EvaluationRow.Control ? 0 : targeted,
  suppressed: 0,
  converted,
  conversionRate: targeted === 0 ? null : converted / targeted,
  contactsPerCustomer: { mean: '1.00', max: 1 },
  allCampaignsContactsPerCustomer: { mean: '1.00', max: 1 },
});

const evaluation = (over: Partial<EvaluationDto> = {}): EvaluationDto => ({
  campaignId: 'CMP-8K2M4Q7T1ZB9',
  name: 'Deposits',
  status: 'running',
  phase: 'live',
  evaluatedAt: '2026-03-02T02:00:00.000Z',
  startsAt: '2026-03-01T00:00:00.000Z',
  endsAt: '2026-03-31T00:00:00.000Z',
  attributionDays: 30,
  attributionEndsAt: '2026-04-30T00:00:00.000Z',
  arms: [
    arm(EvaluationRow.Treatment, 900, 72),
    arm(EvaluationRow.Control, 100, 10),
    arm(EvaluationRow.Total, 1000, 82),
  ],
  uplift: {
    absolute: -0.02,
    relative: -0.2,
    confidenceInterval: { level: 0.95, lower: -0.0832, upper: 0.0432, method: 'wald' },
    significant: false,
    caveat: null,
  },
  attemptsByOutcome: [],
  suppressedBy: [],
  responses: { respondedCustomers: 0, responseRate: 0, byOutcome: [] },
  costs: {
    currency: 'CNY',
    byChannel: [],
    total: '45.00',
    perConversion: '0.63',
    incrementalConversions: '-18.00',
    perIncrementalConversion: null,
    incrementalValue: '-18000.00',
  },
  ...over,
});

const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('evaluationSvg', () => {
  it('labels the bars with their rates and the uplift with its signed interval', () => {
    expect(texts(evaluationSvg(evaluation()))).toEqual(
      expect.arrayContaining([
        '8.0%',
        '10.0%',
        '72 of 900 converted',
        '-2.0 pp',
        '95% CI -8.3 pp to +4.3 pp: not significant',
        'cost 45.00 CNY · per conversion 0.63 · per incremental conversion –',
      ]),
    );
  });

  it('escapes the campaign’s name and drops characters XML cannot hold', () => {
    const svg = evaluationSvg(evaluation({ name: 'A <b>"bold"</b> & \u0007loud one' }));
    expect(svg).toContain('Evaluation: A &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; loud one');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('\u0007');
  });

  it('says why there is no uplift or no interval instead of drawing one', () => {
    const empty = evaluationSvg(
      evaluation({
        arms: [
          arm(EvaluationRow.Treatment, 10, 2),
          arm(EvaluationRow.Control, 0, 0),
          arm(EvaluationRow.Total, 10, 2),
        ],
        uplift: {
          absolute: null,
          relative: null,
          confidenceInterval: null,
          significant: null,
          caveat: UpliftCaveat.ArmEmpty,
        },
      }),
    );
    expect(texts(empty)).toEqual(
      expect.arrayContaining(['no customers', 'no uplift: an arm has no customers']),
    );
    expect(empty).not.toContain('<circle');

    const flat = evaluationSvg(
      evaluation({
        uplift: {
          absolute: 0,
          relative: null,
          confidenceInterval: null,
          significant: null,
          caveat: UpliftCaveat.NoVariance,
        },
      }),
    );
    expect(texts(flat)).toEqual(
      expect.arrayContaining(['0.0 pp', 'no interval: every customer of each arm did the same']),
    );
    expect(texts(flat).some((t) => t.startsWith('95% CI'))).toBe(false);
  });
});
