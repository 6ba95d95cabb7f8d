/**
 * Plain SVG for the reports services render (campaign evaluations, league tables): presentation attributes
 * only, no style sheet (the APIs' Content-Security-Policy allows none), readable in any browser.
 */
export const CHART_COLORS = {
  primary: '#2563eb',
  secondary: '#6b7280',
  negative: '#dc2626',
  ink: '#111827',
  muted: '#4b5563',
  grid: '#e5e7eb',
} as const;

export interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'bold';
  fill?: string;
}

/** Text as XML character data: markup escaped, and the control characters XML 1.0 forbids dropped. */
export const escapeXml = (value: string): string =>
  value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function svgText(x: number, y: number, content: string, style: TextStyle): string {
  const anchor = style.anchor ? ` text-anchor="${style.anchor}"` : '';
  const weight = style.weight ? ` font-weight="${style.weight}"` : '';
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${style.size}"${anchor}${weight} fill="${style.fill ?? CHART_COLORS.ink}">${escapeXml(content)}</text>`;
}

export const svgLine = (x1: number, x2: number, y1: number, y2: number, stroke: string): string =>
  `<line x1="${x1.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${y1.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}"/>`;

/** 4 to 6 round steps from 0 to just above `max` (max > 0). */
export function niceTicks(max: number): number[] {
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

/** A whole SVG document of `parts` on a white ground, titled for screen readers. */
export function svgDocument(width: number, height: number, title: string, parts: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

export interface Bar {
  label: string;
  /** Where the bar ends, for drawing only (a figure's exact value is `shown`). */
  value: number;
  /** The figure as the report states it, e.g. a decimal string of money. */
  shown: string;
}

/**
 * A horizontal bar chart, one bar per row in the order given, drawn from a zero line that sits where the
 * values' range puts it (negative bars go left, in the negative colour), with a caption under the title.
 */
export function barChart(spec: { title: string; caption: string; bars: Bar[]; width?: number }): string {
  const width = spec.width ?? 760;
  const row = 26;
  const top = 70;
  const height = top + Math.max(1, spec.bars.length) * row + 30;
  const plot = { left: 230, right: width - 110 };
  const parts = [
    svgText(width / 2, 26, spec.title, { size: 16, anchor: 'middle', weight: 'bold' }),
    svgText(width / 2, 46, spec.caption, { size: 11, anchor: 'middle', fill: CHART_COLORS.muted }),
  ];
  if (spec.bars.length === 0) {
    parts.push(svgText(width / 2, top + 16, 'nothing to rank', { size: 12, anchor: 'middle' }));
    return svgDocument(width, height, spec.title, parts);
  }
  const low = Math.min(0, ...spec.bars.map((b) => b.value));
  const high = Math.max(0, ...spec.bars.map((b) => b.value));
  const span = high - low || 1;
  const x = (v: number) => plot.left + ((v - low) / span) * (plot.right - plot.left);
  const zero = x(0);
  parts.push(svgLine(zero, zero, top - 6, top + spec.bars.length * row, CHART_COLORS.muted));
  spec.bars.forEach((bar, i) => {
    const y = top + i * row;
    const end = x(bar.value);
    const [left, right] = [Math.min(zero, end), Math.max(zero, end)];
    parts.push(svgText(plot.left - 8, y + 15, bar.label, { size: 11, anchor: 'end' }));
    parts.push(
      `<rect x="${left.toFixed(1)}" y="${(y + 4).toFixed(1)}" width="${Math.max(1, right - left).toFixed(1)}" height="${row - 8}" fill="${bar.value < 0 ? CHART_COLORS.negative : CHART_COLORS.primary}"><title>${escapeXml(`${bar.label}: ${bar.shown}`)}</title></rect>`,
    );
    parts.push(svgText(right + 6, y + 15, bar.shown, { size: 11, fill: CHART_COLORS.muted }));
  });
  return svgDocument(width, height, spec.title, parts);
}
