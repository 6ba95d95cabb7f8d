import { ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { CAMPAIGN_SERVICE } from '../service';

/**
 * campaign-service for one test file. Its dispatch loop is slowed to a crawl, so a test drives the
 * dispatcher itself at the times it chooses; after a Redis wipe the counters are rebuilt at once.
 * The clock starts an hour back: the facts come before the campaigns a test launches.
 */
export function campaignHarness(name: string, env: Record<string, string> = {}): ServiceHarness {
  return new ServiceHarness(CAMPAIGN_SERVICE, {
    name,
    env: { DISPATCH_INTERVAL_MS: '600000', POLICY_REBUILD_GRACE_MS: '0', ...env },
    clockStart: Date.now() - 3_600_000,
  });
}

/** An Authorization header value for the caller. */
export const bearer = (claims: TestTokenClaims): string => `Bearer ${testToken(claims)}`;
