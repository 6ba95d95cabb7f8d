import { readFile } from 'node:fs/promises';

/** A V8 .cpuprofile (`node --cpu-prof`): a call tree and which node was on the CPU at each sample. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive time of one function or one file/package, in ms and as a share of the samples. */
export interface ProfileRow {
  name: string;
  selfMs: number;
  totalMs: number;
  selfShare: number;
  totalShare: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Of totalMs, the samples in V8's (idle) node: the thread waiting for I/O. */
  idleMs: number;
  byFunction: ProfileRow[];
  byFile: ProfileRow[];
}

/** A frame in a flame graph: its own name, the time under it and its callees. */
export interface FlameFrame {
  name: string;
  ms: number;
  children: FlameFrame[];
}

export async function readCpuProfile(path: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * Where code lives, coarse enough to act on: a package under node_modules (`kafkajs`, `@nestjs/core`),
 * a file of ours relative to the repository (`libs/messaging/src/consumer/event-consumer.ts`), `node:` for
 * Node's own, or V8's pseudo-frames ((garbage collector), (program)).
 */
export function locationOf(url: string, functionName: string): string {
  if (SPECIAL.has(functionName)) return functionName;
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const [first, second] = path.slice(inModules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (path.startsWith('node:')) return 'node:' + path.slice(5).split('/')[0];
  const repo = path.match(/\/(apps|libs|bench|tools)\/.*$/);
  return repo ? repo[0].slice(1) : path;
}

const frameName = (node: CpuProfile['nodes'][number]): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = locationOf(url, functionName);
  if (SPECIAL.has(functionName)) return functionName;
  return `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
};

/**
 * Self time (samples on the function itself) and inclusive time (samples with the function anywhere on the
 * stack, each sample counted once however often it recurs) by function and by file/package.
 */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const selfMsOf = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMsOf.set(id, (selfMsOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const fn = new Map<string, { self: number; total: number }>();
  const file = new Map<string, { self: number; total: number }>();
  const add = (table: typeof fn, key: string, self: number, total: number) => {
    const row = table.get(key) ?? { self: 0, total: 0 };
    row.self += self;
    row.total += total;
    table.set(key, row);
  };
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of selfMsOf) {
    totalMs += ms;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)') idleMs += ms;
    add(fn, frameName(leaf), ms, 0);
    add(file, locationOf(leaf.callFrame.url, leaf.callFrame.functionName), ms, 0);
    const seenFn = new Set<string>();
    const seenFile = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at)!;
      if (node.callFrame.functionName === '(root)') break;
      const name = frameName(node);
      const where = locationOf(node.callFrame.url, node.callFrame.functionName);
      if (!seenFn.has(name)) {
        seenFn.add(name);
        add(fn, name, 0, ms);
      }
      if (!seenFile.has(where)) {
        seenFile.add(where);
        add(file, where, 0, ms);
      }
    }
  }
  const busyMs = totalMs - idleMs;
  const rows = (table: typeof fn): ProfileRow[] =>
    [...table].map(([name, { self, total }]) => ({
      name,
      selfMs: self,
      totalMs: total,
      selfShare: busyMs > 0 ? self / busyMs : 0,
      totalShare: busyMs > 0 ? total / busyMs : 0,
    }));
  return { totalMs, idleMs, byFunction: rows(fn), byFile: rows(file) };
}

/** The call tree with each frame's inclusive time, idle left out, callees merged by name. */
export function flameTree(profile: CpuProfile): FlameFrame {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMsOf = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMsOf.set(id, (selfMsOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const build = (id: number): FlameFrame => {
    const node = byId.get(id)!;
    const merged = new Map<string, FlameFrame>();
    for (const child of (node.children ?? []).map(build)) {
      if (child.ms === 0 || child.name === '(idle)') continue;
      const known = merged.get(child.name);
      if (!known) merged.set(child.name, child);
      else mergeInto(known, child);
    }
    const children = [...merged.values()].sort((a, b) => b.ms - a.ms);
    const ms = (selfMsOf.get(id) ?? 0) + children.reduce((sum, c) => sum + c.ms, 0);
    return { name: frameName(node), ms, children };
  };
  const root = profile.nodes.find((n) => n.callFrame.functionName === '(root)') ?? profile.nodes[0];
  return build(root.id);
}

function mergeInto(into: FlameFrame, from: FlameFrame): void {
  into.ms += from.ms;
  for (const child of from.children) {
    const known = into.children.find((c) => c.name === child.name);
    if (known) mergeInto(known, child);
    else into.children.push(child);
  }
  into.children.sort((a, b) => b.ms - a.ms);
}

const ROW = 16;
const WIDTH = 1200;
const MIN_PX = 0.5;

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A colour per file/package, so the same code keeps its colour across frames and graphs. */
function colourOf(name: string): string {
  const where = name.split(' ')[1] ?? name;
  let hash = 0;
  for (const c of where.split(':')[0]) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const ours = /^(apps|libs)\//.test(where);
  const hue = ours ? 20 + (hash % 40) : 180 + (hash % 80);
  return `hsl(${hue}, ${ours ? 75 : 45}%, ${60 + (hash % 15)}%)`;
}

/**
 * A flame graph (drawn as an icicle: root on top, callees below) in plain SVG: each frame's
 * width its inclusive CPU time, our code in warm colours and dependencies in cool ones; a frame's full name
 * and time in its tooltip. Frames narrower than half a pixel are left out.
 */
export function flameGraphSvg(title: string, root: FlameFrame): string {
  const scale = (WIDTH - 20) / Math.max(root.ms, 1);
  const rects: string[] = [];
  let depth = 0;
  const draw = (frame: FlameFrame, x: number, level: number) => {
    const width = frame.ms * scale;
    if (width < MIN_PX) return;
    depth = Math.max(depth, level);
    const y = 40 + level * ROW;
    const label = width > 40 ? frame.name.slice(0, Math.floor(width / 6.5)) : '';
    rects.push(
      `<g><title>${escapeXml(`${frame.name}: ${frame.ms.toFixed(0)} ms (${((100 * frame.ms) / root.ms).toFixed(1)} %)`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${ROW - 1}" fill="${colourOf(frame.name)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(1)}" y="${y + 11}">${escapeXml(label)}</text>` : '') +
        '</g>',
    );
    let at = x;
    for (const child of frame.children) {
      draw(child, at, level + 1);
      at += child.ms * scale;
    }
  };
  draw({ ...root, name: `all busy samples: ${root.ms.toFixed(0)} ms` }, 10, 0);
  const height = 40 + (depth + 1) * ROW + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace" font-size="10">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="14" font-family="sans-serif">${escapeXml(title)}</text>`,
    ...rects,
    '</svg>',
    '',
  ].join('\n');
}
