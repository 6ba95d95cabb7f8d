import { expectServiceSurvivesFaults } from '../lib/projection-drill';
import { ANALYTICS_DRILL } from './analytics-drill';

/** Postgres itself is not restarted here: other test files use it at the same time (see drills/run-fault-drill.ts). */
describe('analytics-service under faults: its warehouse equals the fault-free run row for row', () => {
  it('loses and doubles nothing across kill -9 and cut Postgres connections', async () => {
    await expectServiceSurvivesFaults(ANALYTICS_DRILL, { size: 3_000, faults: ['kill', 'postgres'] });
  }, 180_000);
});
