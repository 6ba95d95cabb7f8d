import { Writable } from 'node:stream';

/** Everything a service's pino logger wrote, to assert on what a log line holds (and what it must not). */
export class CapturedLog extends Writable {
  private readonly chunks: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    done();
  }

  get text(): string {
    return this.chunks.join('');
  }

  /** Each line parsed (pino writes one JSON object a line). */
  records(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
