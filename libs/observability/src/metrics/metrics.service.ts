import {
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

type MetricClass<M> = new (config: never) => M;

/**
 * The process's Prometheus metrics. Libraries ask it for their counters and histograms by name:
 * asking twice returns the metric already registered, so two modules declaring the same metric
 * share it instead of failing at start-up.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
    return this.getOrCreate(Counter as MetricClass<Counter<L>>, config);
  }

  gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
    return this.getOrCreate(Gauge as MetricClass<Gauge<L>>, config);
  }

  histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
    return this.getOrCreate(Histogram as MetricClass<Histogram<L>>, config);
  }

  /** The exposition text Prometheus scrapes. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<M extends object, C extends { name: string }>(type: MetricClass<M>, config: C): M {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) {
      if (!(existing instanceof type)) {
        throw new Error(`metric ${config.name} is already registered as a ${existing.constructor.name}`);
      }
      return existing;
    }
    return new (type as new (config: C & { registers: Registry[] }) => M)({
      ...config,
      registers: [this.registry],
    });
  }
}

let processMetrics: Metrics | undefined;

/** One registry per process: HTTP, Kafka consumers and jobs of one service all land on the same scrape. */
export function metricsForProcess(): Metrics {
  processMetrics ??= new Metrics();
  return processMetrics;
}
