import autocannon from 'autocannon';
import { percentiles } from './stats';

/** One HTTP endpoint under load. */
export interface LoadTarget {
  /** Shown in progress, tables and charts, e.g. `baseline`, `customer-service`. */
  name: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Sent as is; give `content-type` in `headers`. */
  body?: string;
  /** Paths on `url`'s host taken in turn, one per request (e.g. a spread of customer ids); default `url`'s own. */
  paths?: readonly string[];
  /** Bodies taken in turn, one per request (e.g. a decision for each of many customers); default `body`. */
  bodies?: readonly string[];
}

export interface LoadOptions {
  /** Requests per second over all connections. */
  rate: number;
  durationSeconds: number;
  /** Connections of each of the staggered autocannon instances (see runLoad); default 2. */
  connections?: number;
  /** Called about 4 times a second with the responses so far and the seconds elapsed. */
  onProgress?: (responses: number, elapsedSeconds: number) => void;
}

export interface LoadResult {
  target: string;
  rate: number;
  durationSeconds: number;
  /** Responses per second received (any status): below `rate` when the target cannot keep up. */
  achievedRps: number;
  /** Latency of 2xx responses, milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts (no response). */
  errors: number;
  non2xx: number;
  responses: number;
}

/** Staggered autocannon instances per run: the offered load arrives in this many bursts a second. */
export const SLICES_PER_SECOND = 10;

/**
 * Fixed-rate load with autocannon. autocannon's rate is a per-second budget per connection: each
 * connection sends back to back until its budget is spent, then waits for the next second, so all
 * the load of a second would arrive at once and the latency measured would be mostly queueing.
 * Here the rate is split over SLICES_PER_SECOND instances started 1/SLICES_PER_SECOND s apart,
 * each with few connections: small bursts, evenly spread over the second.
 *
 * Latencies come from autocannon's per-response timings (float milliseconds), not from its
 * histogram, which rounds to whole milliseconds: on loopback a hello world answers in well under one.
 */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  const slices = Math.max(1, Math.min(SLICES_PER_SECOND, Math.floor(options.rate)));
  const latencies: number[] = [];
  let responses = 0;
  const started = Date.now();
  const ticker = options.onProgress
    ? setInterval(() => options.onProgress?.(responses, (Date.now() - started) / 1000), 250)
    : undefined;
  const paths = target.paths ?? [];
  const bodies = target.bodies ?? [];
  let nextPath = 0;
  let nextBody = 0;
  // One request template whose path or body autocannon rebuilds before every send, shared by all slices.
  const rotating =
    paths.length || bodies.length
      ? [
          {
            setupRequest: (request: { path?: string; body?: string }) => ({
              ...request,
              ...(paths.length ? { path: paths[nextPath++ % paths.length] } : {}),
              ...(bodies.length ? { body: bodies[nextBody++ % bodies.length] } : {}),
            }),
          },
        ]
      : undefined;
  const runSlice = async (index: number): Promise<AutocannonResultPart> => {
    await new Promise((done) => setTimeout(done, (index * 1000) / slices));
    const instance = autocannon({
      url: target.url,
      method: target.method ?? 'GET',
      headers: target.headers,
      body: target.body,
      requests: rotating,
      connections: options.connections ?? 2,
      duration: options.durationSeconds,
      overallRate: Math.floor(options.rate / slices) + (index < options.rate % slices ? 1 : 0),
      timeout: 10,
    });
    let sliceResponses = 0;
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      responses += 1;
      sliceResponses += 1;
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    });
    const result = await instance;
    return { rps: sliceResponses / result.duration, errors: result.errors, non2xx: result.non2xx };
  };
  try {
    const parts = await Promise.all(Array.from({ length: slices }, (_, index) => runSlice(index)));
    const [p50, p90, p99, max] = percentiles(latencies, [50, 90, 99, 100]);
    return {
      target: target.name,
      rate: options.rate,
      durationSeconds: options.durationSeconds,
      achievedRps: sum(parts.map((part) => part.rps)),
      p50,
      p90,
      p99,
      max,
      // autocannon counts a timeout among its errors too.
      errors: sum(parts.map((part) => part.errors)),
      non2xx: sum(parts.map((part) => part.non2xx)),
      responses,
    };
  } finally {
    clearInterval(ticker);
  }
}

interface AutocannonResultPart {
  rps: number;
  errors: number;
  non2xx: number;
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
