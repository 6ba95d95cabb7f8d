import type { CustomerRepository } from '../customers/customer.repository';
import type { ProspectRepository } from '../prospects/prospect.repository';

describe('customer data is read only within a caller’s resolved scope', () => {
  // The assertions are the compiler's: `tsc` (npm test's type-check) fails when an @ts-expect-error line compiles.
  it('does not type-check without a scope or with one written by hand', () => {
    const reads = (customers: CustomerRepository, prospects: ProspectRepository) => [
      // @ts-expect-error a read of customers without a scope
      customers.findInScope(['C1']),
      // @ts-expect-error a scope written by hand is not a DataScope
      customers.findInScope(['C1'], { kind: 'bank' }),
      // @ts-expect-error a read of a prospect without a scope
      prospects.findInScope('P1'),
    ];
    expect(reads).toBeInstanceOf(Function);
  });
});
