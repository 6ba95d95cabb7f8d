import { expectSwaggerConsoleAt } from '@crm/testing';
import { campaignHarness } from './testing/campaign.fixture';

describe('campaign-service Swagger console in headless Chromium', () => {
  const harness = campaignHarness('swagger');

  beforeAll(() => harness.start());
  afterAll(() => harness.destroy());

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleAt(harness.httpUrl);
    expect(report.render.operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining([
        'post /api/v1/campaigns',
        'post /api/v1/campaigns/{campaignId}/transitions',
        'put /api/v1/contact-policy',
        'post /api/v1/offers/decide',
        'get /api/v1/contact-ledger/summary',
        'get /api/v1/tasks',
      ]),
    );
  });
});
