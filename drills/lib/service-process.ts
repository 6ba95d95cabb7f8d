import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { answers, freePort } from '@crm/testing';

const REPO_ROOT = resolve(__dirname, '..', '..');

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * A service as a real child process (`node -r ./tools/register.js <entry>`, as it runs everywhere), for
 * drills that kill it with SIGKILL: no shutdown hook runs, offsets and transactions in flight are lost.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private readonly tail: string[] = [];
  /** Starts retried because a topic created at the same moment was still being applied. */
  startRetries = 0;
  port = 0;

  constructor(
    readonly name: string,
    private readonly entry: string,
    /** The environment of each start (isolation names, settings); PORT is chosen here, GRPC_PORT unless given. */
    private readonly env: () => Record<string, string>,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the service and waits until it is live. A start that fails while the broker is still applying
   * a topic created at the same moment (another instance's) is retried: that is the start-up failing,
   * not the fault under test.
   */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.startOnce();
      } catch (error) {
        if (attempt >= 3 || !/host this topic-partition|leader for that topic-partition/.test(String(error)))
          throw error;
        this.startRetries += 1;
        await sleep(1_000);
      }
    }
  }

  private async startOnce(): Promise<void> {
    this.port = await freePort();
    // Its own gRPC port too, so that a drill's instances (and a running `npm run up`) do not contend for one.
    const grpcPort = await freePort();
    const child = spawn(process.execPath, ['-r', './tools/register.js', this.entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, GRPC_PORT: String(grpcPort), ...this.env(), PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // A drill that ends or dies must not leave a consuming service behind.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.removeListener('exit', orphanGuard));
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString().split('\n').filter(Boolean));
      this.tail.splice(0, Math.max(0, this.tail.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 90_000;
    while (!(await answers(`${this.baseUrl}/health/live`))) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${this.name}: ${this.entry} exited before it was live:\n${this.tail.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: ${this.entry} not live in 90 s`);
      await sleep(200);
    }
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** The output of the last process, to explain a failure. */
  get outputTail(): string {
    return this.tail.join('\n');
  }

  /** kill -9: no shutdown hook runs, offsets and transactions in flight are lost. */
  async kill9(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
