import { expectServiceSurvivesFaults } from '../lib/projection-drill';
import { ASSIGNMENT_DRILL } from './assignment-drill';

/** Postgres itself is not restarted here: other test files use it at the same time (see drills/run-fault-drill.ts). */
describe('assignment-service under faults: its coverage and projections equal the fault-free run row for row', () => {
  it('loses and doubles nothing across kill -9 and cut Postgres connections', async () => {
    await expectServiceSurvivesFaults(ASSIGNMENT_DRILL, { size: 3_000, faults: ['kill', 'postgres'] });
  }, 180_000);
});
