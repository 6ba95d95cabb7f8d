import { PermanentEventError } from './event-errors';
import { backoffDelay, decideOnFailure, isInfrastructureOutage } from './retry-policy';

const policy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 };
const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('retry policy', () => {
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelay(policy, a))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('retries an ordinary failure, then dead-letters it after the last attempt', () => {
    expect(decideOnFailure(policy, 1, new Error('boom'))).toEqual({ action: 'retry', delayMs: 100 });
    expect(decideOnFailure(policy, 2, new Error('boom'))).toEqual({ action: 'retry', delayMs: 200 });
    expect(decideOnFailure(policy, 3, new TypeError('x is undefined'))).toEqual({
      action: 'dead-letter',
      reason: 'handler failed 3 times: TypeError: x is undefined',
    });
  });

  it('dead-letters a permanent error at once', () => {
    expect(decideOnFailure(policy, 1, new PermanentEventError('account ACC-1 was never opened'))).toEqual({
      action: 'dead-letter',
      reason: 'rejected by handler: PermanentEventError: account ACC-1 was never opened',
    });
  });

  it('waits out infrastructure outages however long they last', () => {
    for (const error of [
      withCode('ECONNREFUSED'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('08006'),
      withCode('40001', 'could not serialize access'),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('query failed'), { driverError: withCode('57P03') }),
    ]) {
      expect(isInfrastructureOutage(error)).toBe(true);
      expect(decideOnFailure(policy, 50, error)).toEqual({ action: 'retry', delayMs: 1_000 });
    }
  });

  it('does not mistake a constraint violation for an outage', () => {
    expect(isInfrastructureOutage(withCode('23505', 'duplicate key value'))).toBe(false);
    expect(isInfrastructureOutage('not an error')).toBe(false);
  });
});
