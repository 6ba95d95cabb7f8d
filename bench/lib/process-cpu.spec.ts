import { cpuSecondsByGroup } from './process-cpu';

describe('cpuSecondsByGroup', () => {
  it("adds up a group's CPU time from /proc, growing as the process works", () => {
    const groups = [
      { name: 'self', matches: (p: { pid: number }) => p.pid === process.pid },
      { name: 'nobody', matches: () => false },
    ];
    const before = cpuSecondsByGroup(groups);
    // Work until the process has used 0.3 s of CPU by its own count, however busy the machine is.
    const start = process.cpuUsage();
    const used = () => {
      const { user, system } = process.cpuUsage(start);
      return (user + system) / 1e6;
    };
    while (used() < 0.3) Math.sqrt(Math.random());
    const after = cpuSecondsByGroup(groups);
    // /proc counts in clock ticks (10 ms): the same work, give or take a few.
    expect(after.self - before.self).toBeGreaterThanOrEqual(0.25);
    expect(after.nobody).toBe(0);
  });
});
