import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const PROCS = join(__dirname, 'procs.sh');

/** Runs SCRIPT in bash with procs.sh sourced; its stdout, trimmed. */
function withProcs(script: string): string {
  const result = spawnSync('bash', ['-c', `source "${PROCS}"\n${script}`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.status !== 0) throw new Error(`bash exited ${result.status}: ${result.stderr}`);
  return result.stdout.trim();
}

describe('procs.sh proc_running', () => {
  const name = `procs-spec-${process.pid}`;

  it('says a process is running while it is, and not once it is a zombie (killed, not yet reaped)', () => {
    // The parent forks a short-lived child and then execs into a sleep that never reaps it:
    // the child stays a zombie, which kill -0 still reports as alive.
    const output = withProcs(`
      pidfile="$PIDS/${name}.pid"
      trap 'kill "$parent" 2>/dev/null; rm -f "$pidfile" "$pidfile.child"' EXIT
      bash -c 'sleep 1 & echo $! >"$1"; exec sleep 30' _ "$pidfile.child" &
      parent=$!
      until [[ -s "$pidfile.child" ]]; do sleep 0.05; done
      cp "$pidfile.child" "$pidfile"
      child="$(cat "$pidfile")"
      proc_running ${name} && echo "alive: running" || echo "alive: stopped"
      until [[ "$(sed 's/.*) //' "/proc/$child/stat" | cut -d' ' -f1)" == Z ]]; do sleep 0.05; done
      kill -0 "$child" && echo "zombie: kill -0 succeeds"
      proc_running ${name} && echo "zombie: running" || echo "zombie: stopped"
    `);

    expect(output.split('\n')).toEqual(['alive: running', 'zombie: kill -0 succeeds', 'zombie: stopped']);
  });
});
