import type { OpenAPIObject } from '@nestjs/swagger';
import { SwaggerConsoleRender, auditSwaggerConsole, openApiInventory } from './swagger-console';

const problem = {
  description: 'problem',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

const document: OpenAPIObject = {
  openapi: '3.0.0',
  info: { title: 'svc API', version: '1.0.0' },
  security: [{ bearer: [] }],
  components: { schemas: { Problem: { type: 'object' }, Note: { type: 'object' } } },
  paths: {
    '/api/v1/notes': {
      get: {
        summary: 'List notes',
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Note' } } },
            },
          },
          '401': problem,
        },
      },
    },
    '/api/v1/notes/{id}/file': {
      get: {
        summary: 'Download a note',
        security: [],
        responses: {
          '200': {
            description: 'file',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          '404': problem,
        },
      },
    },
    '/health/live': { get: { summary: 'Liveness', responses: { '200': { description: 'ok' } } } },
  },
};

const fullRender = (): SwaggerConsoleRender => ({
  title: 'svc API',
  operations: [
    { method: 'get', path: '/api/v1/notes', summary: 'List notes' },
    { method: 'get', path: '/api/v1/notes/{id}/file', summary: 'Download a note' },
    { method: 'get', path: '/health/live', summary: 'Liveness' },
  ],
  schemas: ['Problem', 'Note'],
  pageErrors: [],
  consoleErrors: [],
  renderErrors: [],
});

describe('openApiInventory', () => {
  it('names body schemas, arrays of components and files, and tells authenticated operations apart', () => {
    const inventory = openApiInventory(document);

    expect(inventory.schemas).toEqual(['Problem', 'Note']);
    expect(inventory.operations).toEqual([
      expect.objectContaining({
        path: '/api/v1/notes',
        authenticated: true,
        responses: ['200', '401'],
        bodies: [
          { where: 'response 200 application/json', schema: 'Note[]' },
          { where: 'response 401 application/json', schema: 'Problem' },
        ],
      }),
      expect.objectContaining({ path: '/api/v1/notes/{id}/file', authenticated: false }),
      expect.objectContaining({ path: '/health/live', authenticated: true, bodies: [] }),
    ]);
  });
});

describe('auditSwaggerConsole', () => {
  it('passes a complete console, holding the probes to rendering and summary only', () => {
    expect(auditSwaggerConsole(openApiInventory(document), fullRender())).toEqual([]);
  });

  it('reports operations and schemas the console does not show, and what the page logged', () => {
    const render = fullRender();
    render.operations = render.operations
      .slice(1)
      .map((op) => ({ ...op, summary: op.summary.toUpperCase() }));
    render.schemas = ['Problem'];
    render.pageErrors = ['TypeError: x is undefined'];
    render.consoleErrors = ['GET /docs/swagger-ui-bundle.js failed: net::ERR_ABORTED'];

    expect(auditSwaggerConsole(openApiInventory(document), render)).toEqual([
      'GET /api/v1/notes: not rendered in the console',
      'GET /api/v1/notes/{id}/file: console shows summary "DOWNLOAD A NOTE", document has "Download a note"',
      'GET /health/live: console shows summary "LIVENESS", document has "Liveness"',
      'schema Note: not rendered in the console',
      'page error: TypeError: x is undefined',
      'console error: GET /docs/swagger-ui-bundle.js failed: net::ERR_ABORTED',
    ]);
  });

  it('holds a probe to every rule once it is no longer listed as one', () => {
    expect(auditSwaggerConsole(openApiInventory(document), fullRender(), { opsOperations: [] })).toEqual([
      'GET /health/live: no 4xx response documented',
      'GET /health/live: authenticated but no 401 response documented',
    ]);
  });

  it('fails an empty document rather than passing it', () => {
    const empty = { ...document, paths: {}, components: {} };
    expect(
      auditSwaggerConsole(openApiInventory(empty), { ...fullRender(), operations: [], schemas: [] }),
    ).toEqual(['the OpenAPI document has no operations']);
  });
});
