import { ServiceHarness } from '@crm/service-harness';
import { expectSwaggerConsoleAt } from '@crm/testing';
import { CUSTOMER_SERVICE } from './service';

describe('customer-service Swagger console in headless Chromium', () => {
  const service = new ServiceHarness(CUSTOMER_SERVICE, { name: 'swagger' });

  beforeAll(() => service.start());
  afterAll(() => service.destroy());

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleAt(service.httpUrl);
    expect(report.render.operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['get /api/v1/customers/{customerId}/360', 'post /api/v1/customers/search']),
    );
  });
});
