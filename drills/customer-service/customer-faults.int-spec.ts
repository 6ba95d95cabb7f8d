import { expectServiceSurvivesFaults } from '../lib/projection-drill';
import { CUSTOMER_DRILL } from './customer-drill';

/** Postgres itself is not restarted here: other test files use it at the same time (see drills/run-fault-drill.ts). */
describe('customer-service under faults: its tables equal the fault-free run row for row', () => {
  it('loses and doubles nothing across kill -9 and cut Postgres connections', async () => {
    await expectServiceSurvivesFaults(CUSTOMER_DRILL, { size: 3_000, faults: ['kill', 'postgres'] });
  }, 180_000);
});
