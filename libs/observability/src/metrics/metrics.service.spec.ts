import { Metrics } from './metrics.service';

describe('Metrics', () => {
  const metrics = new Metrics();

  it('returns the metric already registered under a name', () => {
    const first = metrics.counter({ name: 'crm_alerts_raised_total', help: 'alerts', labelNames: ['rule'] });
    const second = metrics.counter({ name: 'crm_alerts_raised_total', help: 'alerts', labelNames: ['rule'] });
    expect(second).toBe(first);
  });

  it('refuses a name already used by another kind of metric', () => {
    metrics.histogram({ name: 'crm_handler_seconds', help: 'handler time' });
    expect(() => metrics.counter({ name: 'crm_handler_seconds', help: 'clash' })).toThrow(
      /already registered as a Histogram/,
    );
  });

  it('renders Prometheus text with default process metrics and registered ones', async () => {
    metrics.gauge({ name: 'crm_outbox_pending', help: 'pending outbox rows' }).set(3);
    const text = await metrics.render();
    expect(metrics.contentType).toMatch(/^text\/plain/);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('crm_outbox_pending 3');
  });
});
