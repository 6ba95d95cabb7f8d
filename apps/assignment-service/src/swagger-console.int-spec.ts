import request from 'supertest';
import { expectSwaggerConsoleAt, prefilledQueryParameters } from '@crm/testing';
import { assignmentHarness } from './testing/bank.fixture';

describe('assignment-service Swagger console in headless Chromium', () => {
  const service = assignmentHarness('swagger');
  const docs = async () => (await request(service.app.getHttpServer()).get('/docs-json').expect(200)).body;

  beforeAll(() => service.start());
  afterAll(() => service.destroy());

  it('renders every operation, with its errors and named schemas documented', async () => {
    const report = await expectSwaggerConsoleAt(service.httpUrl);
    expect(report.render.operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['get /api/v1/customers/{customerId}/coverage', 'get /api/v1/visit-duty']),
    );
  });

  it('documents every endpoint in Swagger', async () => {
    const doc = (await docs()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const api = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/v1/'));
    const operations = api.flatMap(([, p]) => Object.values(p));
    expect(operations.length).toBe(20);
    for (const op of operations)
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403']));
  });

  it("leaves the console's query filters empty in Try it out (examples are in descriptions)", async () => {
    expect(prefilledQueryParameters(await docs())).toEqual([]);
  });
});
