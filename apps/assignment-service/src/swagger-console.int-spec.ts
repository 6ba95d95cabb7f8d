import type { Browser } from 'playwright-core';
import { expectSwaggerConsoleComplete, launchChromium, listenOnFreePort } from '@crm/testing';
import { RunningService, configureTestEnv, startService, testPrefix } from './testing/assignment-harness';

describe('assignment-service Swagger console in headless Chromium', () => {
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    configureTestEnv(testPrefix('swagger'));
    [service, browser] = await Promise.all([startService('swagger'), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleComplete(browser, await listenOnFreePort(service.app));
    expect(report.render.operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['get /api/v1/customers/{customerId}/coverage', 'get /api/v1/visit-duty']),
    );
  });
});
