import { flameTree, locationOf, summarizeProfile, type CpuProfile } from './cpu-profile';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url, lineNumber: 0 },
  children,
});

// root → handle (ours) → decode (a package) → handle again (recursion), and root → (idle).
const PROFILE: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 5]),
    frame(2, 'handle', 'file:///repo/libs/messaging/src/consumer/event-consumer.ts', [3]),
    frame(3, 'decode', 'file:///repo/node_modules/@scope/pkg/lib/x.js', [4]),
    frame(4, 'handle', 'file:///repo/libs/messaging/src/consumer/event-consumer.ts'),
    frame(5, '(idle)', ''),
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [2, 3, 4, 4, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 6000],
};

describe('cpu profile summary', () => {
  it('names where code lives: a package, a file of ours, or a pseudo-frame', () => {
    expect(locationOf('file:///x/node_modules/kafkajs/src/a.js', 'f')).toBe('kafkajs');
    expect(locationOf('file:///x/node_modules/@nestjs/core/a.js', 'f')).toBe('@nestjs/core');
    expect(locationOf('file:///x/apps/alert-service/src/main.ts', 'f')).toBe(
      'apps/alert-service/src/main.ts',
    );
    expect(locationOf('node:internal/process/task_queues', 'f')).toBe('node:internal');
    expect(locationOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('counts self time where a sample is, inclusive time once per sample however deep the recursion', () => {
    const summary = summarizeProfile(PROFILE);
    expect(summary.totalMs).toBe(10);
    expect(summary.idleMs).toBe(6);
    const handle = summary.byFunction.find((r) => r.name.startsWith('handle '))!;
    expect(handle.selfMs).toBe(3);
    expect(handle.totalMs).toBe(4);
    expect(handle.totalShare).toBe(1);
    const pkg = summary.byFile.find((r) => r.name === '@scope/pkg')!;
    expect([pkg.selfMs, pkg.totalMs]).toEqual([1, 3]);
  });

  it('builds the flame tree of busy time, idle left out', () => {
    const root = flameTree(PROFILE);
    expect(root.ms).toBe(4);
    expect(root.children.map((c) => [c.name.split(' ')[0], c.ms])).toEqual([['handle', 4]]);
  });
});
