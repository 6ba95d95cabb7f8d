import type { Browser } from 'playwright-core';
import { expectSwaggerConsoleComplete, launchChromium, listenOnFreePort } from '@crm/testing';
import { Harness, startCustomerService } from './testing/customer-service.harness';

describe('customer-service Swagger console in headless Chromium', () => {
  let service: Harness;
  let browser: Browser;

  beforeAll(async () => {
    [service, browser] = await Promise.all([startCustomerService('swagger'), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleComplete(browser, await listenOnFreePort(service.app));
    expect(report.render.operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['get /api/v1/customers/{customerId}/360', 'post /api/v1/customers/search']),
    );
  });
});
