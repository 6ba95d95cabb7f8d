export interface ConfigProblem {
  variable: string;
  problems: string[];
}

/** Thrown at start-up so the process refuses to run on bad configuration, naming every variable at fault. */
export class ConfigValidationError extends Error {
  constructor(
    readonly service: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `${service}: invalid configuration\n` +
        problems.map((p) => `  - ${p.variable}: ${p.problems.join('; ')}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}
