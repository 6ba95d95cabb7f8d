import { niceTicks, svgDocument, svgLine as line, svgText as text } from '@crm/charts';
import { EvaluationDto, EvaluationRow } from './evaluation.dto';
import { UpliftCaveat } from './evaluation.rule';

const WIDTH = 720;
const HEIGHT = 400;
const PLOT_TOP = 96;
const PLOT_HEIGHT = 220;
const RATES = { left: 70, right: 390 };
const UPLIFT = { left: 480, right: 690 };
const BAR_WIDTH = 84;
const COLOR = { treatment: '#2563eb', control: '#6b7280', ink: '#111827', muted: '#4b5563', grid: '#e5e7eb' };

const CAVEAT_TEXT: Record<UpliftCaveat, string> = {
  'arm-empty': 'no uplift: an arm has no customers',
  'no-variance': 'no interval: every customer of each arm did the same',
  'few-events': 'an arm has few conversions or non-conversions: the interval is rough',
};

/**
 * The evaluation as a chart: the conversion rate of each arm as bars, and beside them the uplift in
 * percentage points with its 95% confidence interval as a whisker across the zero line. Plain SVG with
 * presentation attributes only (the API's Content-Security-Policy allows no style sheet), readable in
 * any browser.
 */
export function evaluationSvg(e: EvaluationDto): string {
  const [treatment, control] = [EvaluationRow.Treatment, EvaluationRow.Control].map((arm) =>
    e.arms.find((a) => a.arm === arm)!,
  );
  const parts: string[] = [];
  parts.push(text(WIDTH / 2, 26, `Evaluation: ${e.name}`, { size: 16, anchor: 'middle', weight: 'bold' }));
  parts.push(
    text(WIDTH / 2, 46, `${e.campaignId} · ${e.phase} (${e.status}) · ${e.evaluatedAt}`, {
      size: 11,
      anchor: 'middle',
      fill: COLOR.muted,
    }),
  );
  parts.push(
    text((RATES.left + RATES.right) / 2, 76, 'conversion rate of everyone targeted', {
      size: 12,
      anchor: 'middle',
    }),
  );
  parts.push(
    text((UPLIFT.left + UPLIFT.right) / 2, 76, 'uplift, percentage points (95% CI, Wald)', {
      size: 12,
      anchor: 'middle',
    }),
  );

  // Conversion rates, in percent.
  const highest = Math.max(1, ...[treatment, control].map((a) => (a.conversionRate ?? 0) * 100));
  // Headroom above the highest bar for its label.
  const ticks = niceTicks(highest * 1.15);
  const top = ticks[ticks.length - 1];
  const rateY = (percent: number): number => PLOT_TOP + PLOT_HEIGHT - (percent / top) * PLOT_HEIGHT;
  for (const tick of ticks) {
    const y = rateY(tick);
    parts.push(line(RATES.left, RATES.right, y, y, COLOR.grid));
    parts.push(text(RATES.left - 6, y + 4, `${trim(tick)}%`, { size: 10, anchor: 'end', fill: COLOR.muted }));
  }
  const slot = (RATES.right - RATES.left) / 2;
  [treatment, control].forEach((arm, index) => {
    const centre = RATES.left + slot * index + slot / 2;
    const bottom = PLOT_TOP + PLOT_HEIGHT;
    parts.push(text(centre, bottom + 18, arm.arm, { size: 12, anchor: 'middle', weight: 'bold' }));
    parts.push(
      text(centre, bottom + 34, `${arm.converted} of ${arm.targeted} converted`, {
        size: 11,
        anchor: 'middle',
        fill: COLOR.muted,
      }),
    );
    if (arm.conversionRate === null) {
      parts.push(text(centre, bottom - 8, 'no customers', { size: 11, anchor: 'middle', fill: COLOR.muted }));
      return;
    }
    const percent = arm.conversionRate * 100;
    const y = rateY(percent);
    parts.push(
      `<rect x="${(centre - BAR_WIDTH / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${BAR_WIDTH}" height="${(bottom - y).toFixed(1)}" fill="${index === 0 ? COLOR.treatment : COLOR.control}"/>`,
    );
    parts.push(text(centre, y - 6, `${percent.toFixed(1)}%`, { size: 12, anchor: 'middle' }));
  });

  // Uplift with its interval, in percentage points.
  const centre = (UPLIFT.left + UPLIFT.right) / 2;
  const { absolute, confidenceInterval: ci, caveat } = e.uplift;
  if (absolute === null) {
    parts.push(
      text(centre, PLOT_TOP + PLOT_HEIGHT / 2, CAVEAT_TEXT[UpliftCaveat.ArmEmpty], {
        size: 11,
        anchor: 'middle',
      }),
    );
  } else {
    const low = Math.min(0, ci?.lower ?? absolute) * 100;
    const high = Math.max(0, ci?.upper ?? absolute) * 100;
    const pad = Math.max(1, (high - low) * 0.1);
    const upliftY = (points: number): number =>
      PLOT_TOP + ((high + pad - points) / (high - low + 2 * pad)) * PLOT_HEIGHT;
    parts.push(
      `<rect x="${UPLIFT.left}" y="${PLOT_TOP}" width="${UPLIFT.right - UPLIFT.left}" height="${PLOT_HEIGHT}" fill="none" stroke="#d1d5db"/>`,
    );
    const zero = upliftY(0);
    parts.push(
      `<line x1="${UPLIFT.left}" x2="${UPLIFT.right}" y1="${zero.toFixed(1)}" y2="${zero.toFixed(1)}" stroke="${COLOR.muted}" stroke-dasharray="4 3"/>`,
    );
    parts.push(text(UPLIFT.left - 6, zero + 4, '0', { size: 10, anchor: 'end', fill: COLOR.muted }));
    if (ci) {
      const [y1, y2] = [upliftY(ci.upper * 100), upliftY(ci.lower * 100)];
      parts.push(line(centre, centre, y1, y2, COLOR.ink));
      parts.push(line(centre - 10, centre + 10, y1, y1, COLOR.ink));
      parts.push(line(centre - 10, centre + 10, y2, y2, COLOR.ink));
      parts.push(text(centre + 14, y1 + 4, points(ci.upper), { size: 10, fill: COLOR.muted }));
      parts.push(text(centre + 14, y2 + 4, points(ci.lower), { size: 10, fill: COLOR.muted }));
    }
    const y = upliftY(absolute * 100);
    parts.push(
      `<circle cx="${centre}" cy="${y.toFixed(1)}" r="5" fill="${COLOR.treatment}"><title>uplift ${points(absolute)}</title></circle>`,
    );
    parts.push(text(centre - 12, y + 4, points(absolute), { size: 12, anchor: 'end', weight: 'bold' }));
    if (ci)
      parts.push(
        text(
          centre,
          PLOT_TOP + PLOT_HEIGHT + 18,
          `95% CI ${points(ci.lower)} to ${points(ci.upper)}: ${e.uplift.significant ? 'significant' : 'not significant'}`,
          { size: 11, anchor: 'middle' },
        ),
      );
  }
  if (caveat && absolute !== null)
    parts.push(
      text(WIDTH / 2, HEIGHT - 36, CAVEAT_TEXT[caveat], { size: 11, anchor: 'middle', fill: COLOR.muted }),
    );
  const costs = e.costs;
  parts.push(
    text(
      WIDTH / 2,
      HEIGHT - 16,
      `cost ${costs.total} ${costs.currency} · per conversion ${costs.perConversion ?? '–'} · per incremental conversion ${costs.perIncrementalConversion ?? '–'}`,
      { size: 11, anchor: 'middle', fill: COLOR.muted },
    ),
  );

  return svgDocument(WIDTH, HEIGHT, `Evaluation of ${e.name}`, parts);
}

const trim = (value: number): string => String(Number(value.toFixed(2)));

/** A rate difference in percentage points, signed. */
const points = (difference: number): string =>
  `${difference > 0 ? '+' : difference < 0 ? '-' : ''}${Math.abs(difference * 100).toFixed(1)} pp`;
