import { eventDefinitionOf } from '@crm/contracts';
import type { SimEvent } from '@crm/corebank-simulation';

/** What a run published, for the closing summary. */
export class RunSummary {
  published = 0;
  readonly byType = new Map<string, number>();
  readonly byTopic = new Map<string, number>();
  firstTime?: string;
  lastTime?: string;

  add(events: SimEvent[]): void {
    for (const event of events) {
      this.published += 1;
      this.byType.set(event.type, (this.byType.get(event.type) ?? 0) + 1);
      const topic = eventDefinitionOf(event.type)?.topic ?? '?';
      this.byTopic.set(topic, (this.byTopic.get(topic) ?? 0) + 1);
      // Scenarios told one after another each start at --start, so track the span, not the ends.
      const at = Date.parse(event.time);
      if (this.firstTime === undefined || at < Date.parse(this.firstTime)) this.firstTime = event.time;
      if (this.lastTime === undefined || at > Date.parse(this.lastTime)) this.lastTime = event.time;
    }
  }

  format(options: { destination: string; elapsedMs: number; interrupted: boolean }): string {
    const seconds = options.elapsedMs / 1000;
    const table = (counts: Map<string, number>) => {
      const width = Math.max(...[...counts.keys()].map((k) => k.length));
      return [...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, n]) => `  ${key.padEnd(width)}  ${String(n).padStart(8)}`)
        .join('\n');
    };
    const lines = [
      `${options.interrupted ? 'Interrupted: published' : 'Published'} ${this.published} events to ${options.destination} ` +
        `in ${seconds.toFixed(1)} s (${(this.published / Math.max(seconds, 0.001)).toFixed(1)} events/s)`,
    ];
    if (this.published > 0) {
      lines.push(
        `Simulated time ${this.firstTime} .. ${this.lastTime}`,
        'By topic:',
        table(this.byTopic),
        'By type:',
        table(this.byType),
      );
    }
    return lines.join('\n');
  }
}
