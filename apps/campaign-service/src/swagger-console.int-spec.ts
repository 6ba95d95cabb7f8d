import type { Browser } from 'playwright-core';
import { expectSwaggerConsoleComplete, launchChromium } from '@crm/testing';
import { campaignHarness } from './testing/campaign.fixture';

describe('campaign-service Swagger console in headless Chromium', () => {
  const harness = campaignHarness('swagger');
  let browser: Browser;

  beforeAll(async () => {
    [, browser] = await Promise.all([harness.start(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await harness.destroy();
  });

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleComplete(browser, harness.httpUrl);
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
