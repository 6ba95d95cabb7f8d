import { ServiceHarness } from '@crm/service-harness';
import { expectSwaggerConsoleAt } from '@crm/testing';
import { ANALYTICS_SERVICE } from './service';

describe('analytics-service Swagger console in headless Chromium', () => {
  const harness = new ServiceHarness(ANALYTICS_SERVICE, { name: 'swagger' });

  beforeAll(() => harness.start());
  afterAll(() => harness.destroy());

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleAt(harness.httpUrl);
    expect(report.render.operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining([
        'get /api/v1/warehouse/partitions',
        'post /api/v1/warehouse/partitions/detach',
        'post /api/v1/cob-runs',
        'get /api/v1/cob-runs',
        'post /api/v1/cob-runs/backfills',
        'get /api/v1/cob-runs/{runId}',
        'get /api/v1/analytics-parameters/value-tiers',
        'put /api/v1/analytics-parameters/value-tiers',
        'get /api/v1/analytics-parameters/contribution-spreads',
        'put /api/v1/analytics-parameters/contribution-spreads',
        'get /api/v1/customers/{customerId}/indicators',
        'get /api/v1/customers/{customerId}/profile',
        'get /api/v1/customers/{customerId}/value-tier-changes',
        'get /api/v1/indicator-aggregates/institutions',
        'get /api/v1/indicator-aggregates/managers',
      ]),
    );
  });
});
