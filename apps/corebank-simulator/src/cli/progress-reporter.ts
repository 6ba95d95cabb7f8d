import { Presets, SingleBar } from 'cli-progress';

export interface ProgressReporter {
  start(total: number | undefined): void;
  update(published: number, rate: number, simulatedTime: string): void;
  stop(): void;
}

export const silentProgress: ProgressReporter = { start() {}, update() {}, stop() {} };

/** A progress bar on stderr (events published / total, rate, simulated clock); a line every 2 s when not a TTY. */
export class BarProgressReporter implements ProgressReporter {
  private bar?: SingleBar;

  start(total: number | undefined): void {
    const format =
      total === undefined
        ? 'publishing {value} events | {rate} events/s | simulated {sim}'
        : 'publishing [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | simulated {sim}';
    this.bar = new SingleBar(
      { format, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000, etaBuffer: 50 },
      Presets.shades_classic,
    );
    this.bar.start(total ?? 0, 0, { rate: '0.0', sim: '-' });
  }

  update(published: number, rate: number, simulatedTime: string): void {
    this.bar?.update(published, { rate: rate.toFixed(1), sim: simulatedTime.slice(0, 19) });
  }

  stop(): void {
    this.bar?.stop();
  }
}
