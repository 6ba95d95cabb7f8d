import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics, metricsForProcess } from '@crm/observability';

/** Events handled per type and outcome, handler latency, and consumer lag per partition. */
export class ConsumerMetrics {
  private readonly events: Counter<'group' | 'type' | 'outcome'>;
  private readonly latency: Histogram<'group' | 'type'>;
  private readonly lag: Gauge<'group' | 'topic' | 'partition'>;

  constructor(
    private readonly groupId: string,
    metrics: Metrics = metricsForProcess(),
  ) {
    this.events = metrics.counter({
      name: 'crm_events_consumed_total',
      help: 'Events consumed, by type and outcome',
      labelNames: ['group', 'type', 'outcome'],
    });
    this.latency = metrics.histogram({
      name: 'crm_event_handler_seconds',
      help: 'Time from receipt to commit of one event, seconds',
      labelNames: ['group', 'type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.lag = metrics.gauge({
      name: 'crm_consumer_lag',
      help: 'Messages behind the partition end after the last batch',
      labelNames: ['group', 'topic', 'partition'],
    });
  }

  observeEvent(type: string, outcome: string, seconds: number): void {
    this.events.inc({ group: this.groupId, type, outcome });
    this.latency.observe({ group: this.groupId, type }, seconds);
  }

  observeLag(topic: string, partition: number, lag: number): void {
    this.lag.set({ group: this.groupId, topic, partition: String(partition) }, lag);
  }
}
