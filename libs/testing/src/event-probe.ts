import { Consumer, IHeaders, Kafka } from 'kafkajs';
import { uniqueSuffix } from './test-stack';

export interface ProbedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: string | null;
  /** The JSON value parsed, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * Reads a topic from the beginning in its own consumer group and lets a test wait for the
 * message it expects, with a timeout instead of a sleep.
 */
export class EventProbe {
  private readonly received: ProbedMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private consumer?: Consumer;

  private constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  static async start(kafka: Kafka, topics: string | string[]): Promise<EventProbe> {
    const probe = new EventProbe(kafka, Array.isArray(topics) ? topics : [topics]);
    await probe.run();
    return probe;
  }

  get messages(): readonly ProbedMessage[] {
    return this.received;
  }

  /** Resolves with the first message (already received or still to come) matching `predicate`. */
  async waitFor(predicate: (m: ProbedMessage) => boolean, timeoutMs = 20_000): Promise<ProbedMessage> {
    const [found] = await this.waitForCount(predicate, 1, timeoutMs);
    return found;
  }

  /** Resolves once `count` matching messages have arrived. */
  async waitForCount(
    predicate: (m: ProbedMessage) => boolean,
    count: number,
    timeoutMs = 20_000,
  ): Promise<ProbedMessage[]> {
    const matching = () => this.received.filter(predicate);
    if (matching().length >= count) return matching().slice(0, count);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = matching();
        if (found.length >= count) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(found.slice(0, count));
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `EventProbe: ${matching().length} of ${count} expected message(s) on ${this.topics.join(', ')} within ${timeoutMs} ms (${this.received.length} received in all)`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `probe-${uniqueSuffix()}`, maxWaitTimeInMs: 100 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const value = message.value?.toString() ?? null;
        this.received.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          headers: decodeHeaders(message.headers),
          value,
          json: parseJson(value),
        });
        for (const notify of [...this.waiters]) notify();
      },
    });
    await joined;
  }
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) decoded[name] = value.toString();
  }
  return decoded;
}

function parseJson(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
