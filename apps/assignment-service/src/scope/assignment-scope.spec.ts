import type { CoverageRepository } from '../coverage/coverage.repository';
import type { VisitRepository } from '../visits/visit.repository';

describe('coverage and visits are read only within a caller’s resolved scope', () => {
  // The assertions are the compiler's: `tsc` (npm test's type-check) fails when an @ts-expect-error line compiles.
  it('does not type-check without a scope or with one written by hand', () => {
    const reads = (coverage: CoverageRepository, visits: VisitRepository) => [
      // @ts-expect-error a read of coverage without a scope
      coverage.findInScope('C1'),
      // @ts-expect-error a scope written by hand is not a DataScope
      visits.list({ kind: 'manager', managerId: 'M1', institutionId: 'O1' }, {}, 10, null),
    ];
    expect(reads).toBeInstanceOf(Function);
  });
});
