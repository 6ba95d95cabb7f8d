import type { Browser } from 'playwright-core';
import { ServiceHarness } from '@crm/service-harness';
import { expectSwaggerConsoleComplete, launchChromium } from '@crm/testing';
import { CUSTOMER_SERVICE } from './service';

describe('customer-service Swagger console in headless Chromium', () => {
  const service = new ServiceHarness(CUSTOMER_SERVICE, { name: 'swagger' });
  let browser: Browser;

  beforeAll(async () => {
    [, browser] = await Promise.all([service.start(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await service.destroy();
  });

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleComplete(browser, service.httpUrl);
    expect(report.render.operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['get /api/v1/customers/{customerId}/360', 'post /api/v1/customers/search']),
    );
  });
});
