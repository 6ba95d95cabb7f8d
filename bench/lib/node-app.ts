import { ChildProcess, spawn } from 'node:child_process';
import { answers, freePort } from '@crm/testing';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** How every service runs (Dockerfile, deploy/local): TypeScript through SWC, as in development. */
export const SERVICE_NODE_ARGS: readonly string[] = ['-r', './tools/register.js'];

/**
 * Extra node flags for the apps under test, to profile them: `--cpu-prof --cpu-prof-dir=.local/profiles`.
 * A profile is written as the app exits, which takes a while after a long run: stop waits longer then.
 */
const PROFILING_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Environment every benchmarked app gets. Not `production`: that refuses the published bench secrets
 * and the HS256 dev issuer the bench signs tokens with; no measured code path reads NODE_ENV.
 */
export const SERVICE_ENV: Readonly<Record<string, string>> = { NODE_ENV: 'test' };

/** Every service's Node options as deployed (docker-compose.yml, deploy/local/up.sh, the k8s base): old space bounded. */
export const DEPLOYED_NODE_OPTIONS = '--max-old-space-size=160';

export interface NodeAppOptions {
  /** For messages and the report, e.g. `baseline`, `customer-service`. */
  name: string;
  /** Entry file relative to the repo root, e.g. `apps/customer-service/src/main.ts`. */
  entry: string;
  /** Extra environment (DATABASE_URL, JWT_SECRET...); PORT is chosen here, GRPC_PORT unless given. */
  env?: Record<string, string>;
  /** Path answering 2xx once the app serves, default `/health/live`. */
  readyPath?: string;
  /** Default 90 s: a service compiles its sources through SWC at start. */
  readyTimeoutMs?: number;
}

export interface RunningNodeApp {
  name: string;
  baseUrl: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let cleanupInstalled = false;

/** A benchmark interrupted with Ctrl-C must not leave servers behind. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.forEach((child) => child.kill('SIGKILL'));
      process.exit(130);
    });
  }
}

/** Starts `node -r ./tools/register.js <entry>` on a free port and waits until it answers. */
export async function startNodeApp(options: NodeAppOptions): Promise<RunningNodeApp> {
  installCleanup();
  const port = await freePort();
  // Its own gRPC port too, so that two instances (and a running `npm run up`) do not contend for one.
  const grpcPort = await freePort();
  const child = spawn(process.execPath, [...PROFILING_NODE_ARGS, ...SERVICE_NODE_ARGS, options.entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...SERVICE_ENV, GRPC_PORT: String(grpcPort), ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  // The last lines of output, to explain a start that fails; the rest is dropped (no disk I/O while measuring).
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  void exited.then(() => running.delete(child));

  const baseUrl = `http://127.0.0.1:${port}`;
  const readyUrl = baseUrl + (options.readyPath ?? '/health/live');
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (hasExited(child)) {
      throw new Error(
        `${options.name} exited (${child.exitCode ?? child.signalCode}) before answering ${readyUrl}:\n${tail.join('\n')}`,
      );
    }
    if (await answers(readyUrl)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not answer ${readyUrl} in time:\n${tail.join('\n')}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }

  return {
    name: options.name,
    baseUrl,
    pid: child.pid ?? 0,
    stop: async () => {
      if (hasExited(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(
        () => child.kill('SIGKILL'),
        PROFILING_NODE_ARGS.length > 0 ? 120_000 : 10_000,
      );
      await exited;
      clearTimeout(timer);
    },
  };
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

export const BASELINE_ENTRY = join('bench', 'baseline', 'main.ts');

/** The NestJS hello world of bench/baseline, run exactly as a service is: GET `${baseUrl}/hello`. */
export function startBaseline(name = 'baseline'): Promise<RunningNodeApp> {
  return startNodeApp({ name, entry: BASELINE_ENTRY, readyPath: '/hello' });
}
