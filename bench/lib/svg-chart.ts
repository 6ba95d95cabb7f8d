import type { Spread } from './stats';

const COLORS = ['#6b7280', '#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed'];
export type ChartPercentile = 'p50' | 'p90' | 'p95' | 'p99';
const DEFAULT_PERCENTILES: readonly ChartPercentile[] = ['p50', 'p90', 'p99'];

/** One bar group source: a target at a rate with its percentiles (a compareTargets summary is one). */
export type ChartRow = { target: string; rate: number } & Partial<Record<ChartPercentile, Spread>>;

export interface ChartOptions {
  /** Bar groups, default p50, p90, p99. */
  percentiles?: readonly ChartPercentile[];
  /** Unit after the rate under each panel, default `req/s`. */
  rateUnit?: string;
}

const BAR = 18;
const BAR_GAP = 2;
const GROUP_GAP = 16;
const PANEL_PAD = 14;
const PANEL_GAP = 24;
const LEFT = 64;
const TOP = 78;
const PLOT_HEIGHT = 260;
const BOTTOM = 56;
const RIGHT = 16;

/**
 * Latency percentiles per target side by side: one panel per rate, in each a group per
 * percentile with a bar per target (the median over repeats, a whisker from the lowest to the
 * highest run). Plain SVG, no dependency; readable on GitHub and in any browser.
 */
export function latencyChartSvg(
  title: string,
  summaries: readonly ChartRow[],
  options: ChartOptions = {},
): string {
  const PERCENTILES = options.percentiles ?? DEFAULT_PERCENTILES;
  const rates = [...new Set(summaries.map((s) => s.rate))];
  const targets = [...new Set(summaries.map((s) => s.target))];
  const color = (target: string): string => COLORS[targets.indexOf(target) % COLORS.length];
  const groupWidth = targets.length * BAR + (targets.length - 1) * BAR_GAP;
  const panelWidth = PANEL_PAD * 2 + PERCENTILES.length * groupWidth + (PERCENTILES.length - 1) * GROUP_GAP;
  // Wide enough for the subtitle even with one rate and two targets.
  const plotRight = LEFT + rates.length * panelWidth + (rates.length - 1) * PANEL_GAP;
  const width = Math.max(600, plotRight + RIGHT);
  const height = TOP + PLOT_HEIGHT + BOTTOM;

  const highest = Math.max(
    ...summaries.flatMap((s) => PERCENTILES.map((p) => s[p]?.max ?? Number.NaN)).filter(Number.isFinite),
    0.001,
  );
  const ticks = niceTicks(highest);
  const top = ticks[ticks.length - 1];
  const y = (value: number): number => TOP + PLOT_HEIGHT - (Math.max(0, value) / top) * PLOT_HEIGHT;

  const parts: string[] = [];
  parts.push(text(width / 2, 22, title, { size: 15, anchor: 'middle', weight: 'bold' }));
  parts.push(
    text(
      width / 2,
      40,
      'latency in ms, median of the runs (whisker: lowest to highest run); lower is better',
      {
        size: 11,
        anchor: 'middle',
        fill: '#4b5563',
      },
    ),
  );
  let legendX = LEFT;
  for (const target of targets) {
    parts.push(`<rect x="${legendX}" y="52" width="12" height="12" fill="${color(target)}"/>`);
    parts.push(text(legendX + 16, 62, target, { size: 11 }));
    legendX += 16 + target.length * 6.5 + 18;
  }
  const step = ticks[1] - ticks[0];
  const tickDecimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  for (const tick of ticks) {
    const ty = y(tick);
    parts.push(`<line x1="${LEFT}" x2="${plotRight}" y1="${ty}" y2="${ty}" stroke="#e5e7eb"/>`);
    parts.push(
      text(LEFT - 6, ty + 4, tick.toFixed(tickDecimals), { size: 10, anchor: 'end', fill: '#4b5563' }),
    );
  }
  parts.push(text(14, TOP + PLOT_HEIGHT / 2, 'ms', { size: 11, anchor: 'middle', fill: '#4b5563' }));

  rates.forEach((rate, panel) => {
    const panelX = LEFT + panel * (panelWidth + PANEL_GAP);
    parts.push(
      `<rect x="${panelX}" y="${TOP}" width="${panelWidth}" height="${PLOT_HEIGHT}" fill="none" stroke="#d1d5db"/>`,
    );
    parts.push(
      text(panelX + panelWidth / 2, height - 14, `${rate} ${options.rateUnit ?? 'req/s'}`, {
        size: 12,
        anchor: 'middle',
        weight: 'bold',
      }),
    );
    PERCENTILES.forEach((p, group) => {
      const groupX = panelX + PANEL_PAD + group * (groupWidth + GROUP_GAP);
      parts.push(text(groupX + groupWidth / 2, TOP + PLOT_HEIGHT + 16, p, { size: 11, anchor: 'middle' }));
      targets.forEach((target, index) => {
        const summary = summaries.find((s) => s.rate === rate && s.target === target);
        const value = summary?.[p];
        if (!value || !Number.isFinite(value.median)) return;
        const x = groupX + index * (BAR + BAR_GAP);
        const { median, min, max } = value;
        const barTop = y(median);
        parts.push(
          `<rect x="${x}" y="${barTop.toFixed(1)}" width="${BAR}" height="${(TOP + PLOT_HEIGHT - barTop).toFixed(1)}" fill="${color(target)}"><title>${escape(target)} @ ${rate}/s ${p}: ${formatMs(median)} ms (runs ${formatMs(min)}-${formatMs(max)})</title></rect>`,
        );
        const cx = x + BAR / 2;
        parts.push(
          `<line x1="${cx}" x2="${cx}" y1="${y(min).toFixed(1)}" y2="${y(max).toFixed(1)}" stroke="#111827" stroke-width="1"/>`,
        );
        parts.push(
          text(cx, Math.min(barTop, y(max)) - 4, formatMs(median), {
            size: 8,
            anchor: 'middle',
            fill: '#111827',
          }),
        );
      });
    });
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** 4 to 6 round steps from 0 to just above `max`. */
export function niceTicks(max: number): number[] {
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

const formatMs = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'bold';
  fill?: string;
}

function text(x: number, y: number, content: string, style: TextStyle): string {
  const anchor = style.anchor ? ` text-anchor="${style.anchor}"` : '';
  const weight = style.weight ? ` font-weight="${style.weight}"` : '';
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${style.size}"${anchor}${weight} fill="${style.fill ?? '#111827'}">${escape(content)}</text>`;
}

const escape = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One curve of a progress chart: (seconds, count) points in time order. */
export interface ProgressSeries {
  name: string;
  points: readonly (readonly [number, number])[];
}

/**
 * Work done over time, one line per series (e.g. targets decided by the service and by a bare loop over
 * the same rows): the steeper, the faster; where a line ends, that run was done.
 */
export function progressChartSvg(title: string, series: readonly ProgressSeries[], yLabel: string): string {
  const width = 720;
  const plotWidth = width - LEFT - RIGHT - 150;
  const maxX = Math.max(1, ...series.flatMap((s) => s.points.map(([x]) => x)));
  const maxY = Math.max(1, ...series.flatMap((s) => s.points.map(([, y]) => y)));
  const xTicks = niceTicks(maxX);
  const yTicks = niceTicks(maxY);
  const xOf = (x: number) => LEFT + (x / xTicks[xTicks.length - 1]) * plotWidth;
  const yOf = (y: number) => TOP + PLOT_HEIGHT - (y / yTicks[yTicks.length - 1]) * PLOT_HEIGHT;
  const parts: string[] = [text(LEFT, 30, title, { size: 16, weight: 'bold' })];
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${yOf(tick)}" y2="${yOf(tick)}" stroke="#e5e7eb"/>`,
    );
    parts.push(text(LEFT - 6, yOf(tick) + 4, tick.toLocaleString('en-US'), { size: 11, anchor: 'end' }));
  }
  for (const tick of xTicks)
    parts.push(text(xOf(tick), TOP + PLOT_HEIGHT + 18, `${tick} s`, { size: 11, anchor: 'middle' }));
  parts.push(text(LEFT, TOP - 12, yLabel, { size: 12, fill: '#374151' }));
  series.forEach((s, i) => {
    const color = COLORS[(i + 1) % COLORS.length];
    const path = s.points
      .map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${xOf(x).toFixed(1)},${yOf(y).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const legendY = TOP + 10 + i * 20;
    parts.push(
      `<line x1="${LEFT + plotWidth + 16}" x2="${LEFT + plotWidth + 36}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="3"/>`,
    );
    parts.push(text(LEFT + plotWidth + 42, legendY + 4, s.name, { size: 12 }));
  });
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
