import { cpuSecondsByGroup } from './process-cpu';

describe('cpuSecondsByGroup', () => {
  it("adds up a group's CPU time from /proc, growing as the process works", () => {
    const groups = [
      { name: 'self', matches: (p: { pid: number }) => p.pid === process.pid },
      { name: 'nobody', matches: () => false },
    ];
    const before = cpuSecondsByGroup(groups);
    const until = Date.now() + 300;
    while (Date.now() < until) Math.sqrt(Math.random());
    const after = cpuSecondsByGroup(groups);
    expect(after.self - before.self).toBeGreaterThanOrEqual(0.2);
    expect(after.nobody).toBe(0);
  });
});
