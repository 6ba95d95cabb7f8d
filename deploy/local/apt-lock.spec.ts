import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Holding the machine's real dpkg lock in a test would stall every other apt user of a shared
// machine, so this checks the invocations instead: each apt-get that takes the lock waits for it.
const scripts = readdirSync(__dirname)
  .filter((file) => file.endsWith('.sh'))
  .map((file) => ({ file, text: readFileSync(join(__dirname, file), 'utf8') }));

/** The code of a line: comments and quoted messages dropped, the sudo prefix kept. */
const code = (line: string): string =>
  line
    .replace(/^\s*#.*/, '')
    .replace(/"\$\{sudo\[@\]\}"/g, 'sudo')
    .replace(/"[^"]*"/g, '""');

/** Lines that run apt-get update or install. */
const aptRuns = (text: string): string[] =>
  text.split('\n').filter((line) => /\bapt-get\s+(-o\s+\S+\s+|-\S+\s+)*(update|install)\b/.test(code(line)));

describe('apt-get in the local stack scripts', () => {
  it('finds the scripts that install packages', () => {
    expect(scripts.filter(({ text }) => aptRuns(text).length > 0).map(({ file }) => file)).toEqual(
      expect.arrayContaining(['ensure-chromium.sh', 'stack.sh']),
    );
  });

  it.each(scripts.filter(({ text }) => aptRuns(text).length > 0))(
    '$file waits for a dpkg or lists lock held by another apt process instead of failing',
    ({ text }) => {
      for (const line of aptRuns(text)) expect(line).toMatch(/-o DPkg::Lock::Timeout=\d+/);
    },
  );
});
