/**
 * Terminal progress of a long benchmark on stderr: a line redrawn in place on a terminal, plain
 * lines otherwise (CI logs). Stdout stays for results.
 */
export class Progress {
  private readonly started = Date.now();
  private doneSeconds = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly totalSeconds: number) {}

  /** Runs one timed step of `seconds`, showing its label, its responses so far and the time left overall. */
  async step<T>(
    label: string,
    seconds: number,
    run: (onProgress: (responses: number, elapsedSeconds: number) => void) => Promise<T>,
  ): Promise<T> {
    if (!this.tty) process.stderr.write(`${this.prefix(0)} ${label}\n`);
    const result = await run((responses, elapsed) => {
      if (this.tty)
        this.draw(
          `${label}  ${Math.min(elapsed, seconds).toFixed(1)}/${seconds} s, ${responses} responses`,
          elapsed,
        );
    });
    this.doneSeconds += seconds;
    return result;
  }

  /** A line that stays, above the redrawn one. */
  log(line: string): void {
    process.stderr.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  done(): void {
    this.log(`done in ${clock((Date.now() - this.started) / 1000)}`);
  }

  private draw(text: string, stepElapsed: number): void {
    process.stderr.write(`\r\x1b[2K${this.prefix(stepElapsed)} ${text}`);
  }

  private prefix(stepElapsed: number): string {
    const done = Math.min(this.totalSeconds, this.doneSeconds + stepElapsed);
    const fraction = this.totalSeconds > 0 ? done / this.totalSeconds : 1;
    const width = 20;
    const filled = Math.round(fraction * width);
    const elapsed = (Date.now() - this.started) / 1000;
    const left = Math.max(0, this.totalSeconds - done);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${clock(elapsed)} elapsed, ~${clock(left)} left |`;
  }
}

const clock = (seconds: number): string => {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
};

/** Progress of a count towards a total on stderr (a line in place on a terminal, every 10% otherwise). */
export class CountProgress {
  private readonly started = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastTenth = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(count: number): void {
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = count / Math.max(elapsed, 0.001);
    const line = `${this.label}: ${count}/${this.total} (${Math.round((100 * count) / this.total)}%), ${Math.round(rate)}/s, ${elapsed.toFixed(0)} s`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
    else if (Math.floor((10 * count) / this.total) > this.lastTenth) {
      this.lastTenth = Math.floor((10 * count) / this.total);
      process.stderr.write(`${line}\n`);
    }
  }

  done(): void {
    process.stderr.write(
      `${this.tty ? '\r\x1b[2K' : ''}${this.label}: done in ${((Date.now() - this.started) / 1000).toFixed(1)} s\n`,
    );
  }
}
