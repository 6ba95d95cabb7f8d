import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  flameGraphSvg,
  flameTree,
  readCpuProfile,
  summarizeProfile,
  type ProfileRow,
  type ProfileSummary,
} from './cpu-profile';

/**
 * Where a service's CPU went, from the .cpuprofile a benchmark run with
 * `BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"` left behind:
 *   node -r ./tools/register.js bench/lib/cpu-profile-report.ts DIR/x.cpuprofile [--top 25] [--svg out.svg]
 * prints self and inclusive time by function and by file/package (markdown), and with --svg draws its flame graph.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      svg: { type: 'string' },
      title: { type: 'string' },
    },
  });
  if (positionals.length !== 1)
    throw new Error('usage: cpu-profile-report.ts <file.cpuprofile> [--top N] [--svg out.svg]');
  const profile = await readCpuProfile(positionals[0]);
  const top = Number(values.top);
  console.log(renderSummary(summarizeProfile(profile), top));
  if (values.svg) {
    await writeFile(values.svg, flameGraphSvg(values.title ?? basename(positionals[0]), flameTree(profile)));
  }
}

const ms = (v: number): string => v.toFixed(0);
const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;

function table(rows: ProfileRow[], heading: string): string[] {
  return [
    `| ${heading} | self ms | self | inclusive ms | inclusive |`,
    '| --- | --: | --: | --: | --: |',
    ...rows.map(
      (r) =>
        `| \`${r.name.replace(/\|/g, '\\|')}\` | ${ms(r.selfMs)} | ${pct(r.selfShare)} | ${ms(r.totalMs)} | ${pct(r.totalShare)} |`,
    ),
  ];
}

export function renderSummary(summary: ProfileSummary, top: number): string {
  const busy = summary.totalMs - summary.idleMs;
  const bySelf = (rows: ProfileRow[]) =>
    rows
      .filter((r) => r.name !== '(idle)')
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  const byTotal = (rows: ProfileRow[]) =>
    [...rows]
      .filter((r) => !r.name.startsWith('('))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, top);
  return [
    `Profiled ${ms(summary.totalMs)} ms, busy ${ms(busy)} ms (${pct(busy / Math.max(summary.totalMs, 1))}); shares below are of the busy time.`,
    '',
    '#### By file or package, self time',
    '',
    ...table(bySelf(summary.byFile), 'file or package'),
    '',
    '#### By file or package, inclusive time',
    '',
    ...table(byTotal(summary.byFile), 'file or package'),
    '',
    '#### By function, self time',
    '',
    ...table(bySelf(summary.byFunction), 'function'),
    '',
    '#### By function, inclusive time',
    '',
    ...table(byTotal(summary.byFunction), 'function'),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
