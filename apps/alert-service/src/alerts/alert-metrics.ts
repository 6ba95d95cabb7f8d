import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { metricsForProcess } from '@crm/observability';

/** Alerts raised per kind (events handled per type, handler latency and lag come from ConsumerMetrics). */
@Injectable()
export class AlertMetrics {
  private readonly raised: Counter<'kind'>;
  private readonly evaluated: Counter<'type'>;

  constructor() {
    const metrics = metricsForProcess();
    this.raised = metrics.counter({
      name: 'crm_alerts_raised_total',
      help: 'Alerts raised (stored for the first time), by kind',
      labelNames: ['kind'],
    });
    this.evaluated = metrics.counter({
      name: 'crm_alert_events_evaluated_total',
      help: 'Core-banking events run through the alert rules, by event type',
      labelNames: ['type'],
    });
  }

  alertRaised(kind: string): void {
    this.raised.inc({ kind });
  }

  eventEvaluated(type: string): void {
    this.evaluated.inc({ type });
  }
}
