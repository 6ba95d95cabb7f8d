import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process CPU time in clock ticks; 100 a second on every kernel these benchmarks run on. */
const TICKS_PER_SECOND = 100;

/** A named set of processes whose CPU time is summed, e.g. `postgres` for every backend. */
export interface ProcessGroup {
  name: string;
  matches: (proc: { pid: number; comm: string; cmdline: string }) => boolean;
}

/** The local stack's processes, and the app under test by its pid. */
export const stackProcessGroups = (appName: string, appPid: number): ProcessGroup[] => [
  { name: appName, matches: (p) => p.pid === appPid },
  ...STACK_PROCESS_GROUPS,
];

/** The local stack's servers, which every app under test shares. */
export const STACK_PROCESS_GROUPS: readonly ProcessGroup[] = [
  { name: 'postgres', matches: (p) => p.comm === 'postgres' },
  { name: 'redis', matches: (p) => p.comm === 'redis-server' },
  { name: 'kafka', matches: (p) => p.comm === 'java' && p.cmdline.includes('kafka') },
];

/** CPU seconds used so far by each group (processes alive now), read from /proc. */
export function cpuSecondsByGroup(groups: readonly ProcessGroup[]): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(groups.map((g) => [g.name, 0]));
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const { comm, seconds } = statOf(pid);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const group = groups.find((g) => g.matches({ pid, comm, cmdline }));
      if (group) totals[group.name] += seconds;
    } catch {
      // The process ended while being read.
    }
  }
  return totals;
}

/** CPU seconds a process has used so far (user and system), from /proc; 0 once it has ended. */
export function cpuSecondsOf(pid: number): number {
  try {
    return statOf(pid).seconds;
  } catch {
    return 0;
  }
}

function statOf(pid: number): { comm: string; seconds: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // comm is in parentheses and may hold spaces; the fields after it are space-separated.
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

/** Resident set size of a process now (bytes), from /proc; 0 once it has ended. */
export function rssBytesOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The peak RSS of a process per phase of a benchmark, sampled every `intervalMs`. */
export class RssSampler {
  readonly peaks = new Map<string, number>();
  private phase = 'start';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Samples from now on count towards `phase`. */
  enter(phase: string): void {
    this.sample();
    this.phase = phase;
    this.sample();
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  private sample(): void {
    const rss = rssBytesOf(this.pid);
    this.peaks.set(this.phase, Math.max(this.peaks.get(this.phase) ?? 0, rss));
  }
}
