import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EventEnvelope } from '@crm/contracts';
import type { EventSink } from './event-sink';

/** Writes each envelope as one JSON line (CloudEvents structured form), for replay or inspection. */
export class JsonlFileSink implements EventSink {
  readonly description: string;
  private readonly stream: WriteStream;
  private failure?: Error;

  /** Opens the file at once, so a bad path fails before anything is generated. */
  constructor(path: string) {
    this.stream = createWriteStream('', { fd: openSync(path, 'w'), encoding: 'utf8' });
    this.stream.on('error', (error) => (this.failure = error));
    this.description = `file ${path}`;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (this.failure) throw this.failure;
    const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
  }
}
