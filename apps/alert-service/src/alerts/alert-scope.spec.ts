import type { AlertRepository } from './alert.repository';

describe('alerts are read only within a caller’s resolved scope', () => {
  // The assertions are the compiler's: `tsc` (npm test's type-check) fails when an @ts-expect-error line compiles.
  it('does not type-check without a scope or with one written by hand', () => {
    const reads = (alerts: AlertRepository) => [
      // @ts-expect-error a read of an alert without a scope
      alerts.findOne('00000000-0000-4000-8000-000000000000'),
      // @ts-expect-error a scope written by hand is not a DataScope
      alerts.countsByKind({ kind: 'institutions', institutionIds: ['O1'] }),
    ];
    expect(reads).toBeInstanceOf(Function);
  });
});
