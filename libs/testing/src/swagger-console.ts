import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Browser, Page } from 'playwright-core';

/**
 * The Swagger console check: what `/docs` really renders in headless Chromium (Debian's, driven by
 * playwright-core), compared with what `/docs-json` documents, plus the documentation rules every
 * REST operation must meet. One browser per test file: starting Chromium takes seconds here.
 */

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Without the background-networking flags Chromium keeps dialling Google's hosts, which this
 * closed network refuses; the sandbox needs user namespaces that containers and root lack.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A headless Chromium (Debian's, through playwright-core). Playwright gives each launch a fresh
 * profile (its own `--user-data-dir` under the temp dir, deleted on close); each render here gets
 * its own context, so no state is shared between renders. Close it in afterAll.
 */
export async function launchChromium(): Promise<Browser> {
  // Loaded here, not at the top: most users of @crm/testing never start a browser.
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: [...CHROMIUM_FLAGS],
      timeout: 60_000,
    });
  } catch (error) {
    throw new Error(
      `could not start Chromium at ${chromiumPath()} (run deploy/local/ensure-chromium.sh, or set CHROMIUM_PATH): ${String(error)}`,
    );
  }
}

export interface RenderedOperation {
  /** Lower case, as in OpenAPI: `get`, `post`. */
  method: string;
  path: string;
  summary: string;
}

export interface SwaggerConsoleRender {
  title: string;
  operations: RenderedOperation[];
  /** Names in the console's "Schemas" section. */
  schemas: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** `console.error` lines and failed requests (scripts, styles) of the page. */
  consoleErrors: string[];
  /** Error boxes Swagger UI itself shows, e.g. a spec it could not parse. */
  renderErrors: string[];
}

// A string, not a function: the libs compile without DOM types, and it runs in the page only.
const EXTRACT_RENDER = `(() => {
  const text = (el) => (el && el.textContent ? el.textContent.replace(/\\u200b/g, '').trim() : '');
  const titleEl = document.querySelector('.swagger-ui .info .title');
  const operations = [...document.querySelectorAll('.swagger-ui .opblock')].map((block) => {
    const pathEl = block.querySelector('.opblock-summary-path');
    return {
      method: text(block.querySelector('.opblock-summary-method')).toLowerCase(),
      path: (pathEl && pathEl.getAttribute('data-path')) || text(pathEl),
      summary: text(block.querySelector('.opblock-summary-description')),
    };
  });
  const schemas = [...document.querySelectorAll('.swagger-ui section.models .model-container')].map(
    (el) => el.getAttribute('data-name') || text(el.querySelector('.model-title')),
  );
  const renderErrors = [...document.querySelectorAll('.swagger-ui .errors-wrapper .error-wrapper')].map(text);
  return {
    title: titleEl && titleEl.firstChild ? text(titleEl.firstChild) : '',
    operations,
    schemas,
    renderErrors,
  };
})()`;

const RENDERED = `!!document.querySelector('.swagger-ui .info .title, .swagger-ui .errors-wrapper, .swagger-ui .loading-container .title')`;
const OPERATION_COUNT = `document.querySelectorAll('.swagger-ui .opblock').length`;

export interface RenderOptions {
  /** Default 30 s. */
  timeoutMs?: number;
}

/** Opens `<baseUrl>/docs` in a new page and returns what Swagger UI rendered there. */
export async function renderSwaggerConsole(
  browser: Browser,
  baseUrl: string,
  options: RenderOptions = {},
): Promise<SwaggerConsoleRender> {
  const timeout = options.timeoutMs ?? 30_000;
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('requestfailed', (request) =>
    consoleErrors.push(`${request.method()} ${request.url()} failed: ${request.failure()?.errorText}`),
  );
  try {
    const response = await page.goto(`${trimSlash(baseUrl)}/docs`, { waitUntil: 'load', timeout });
    if (!response?.ok()) throw new Error(`GET ${baseUrl}/docs answered ${response?.status() ?? 'nothing'}`);
    await page.waitForFunction(RENDERED, undefined, { timeout });
    await waitUntilStable(page, timeout);
    const extracted =
      await page.evaluate<Omit<SwaggerConsoleRender, 'pageErrors' | 'consoleErrors'>>(EXTRACT_RENDER);
    return { ...extracted, pageErrors, consoleErrors };
  } finally {
    await context.close();
  }
}

/** React renders the operations right after the title; poll until two reads 100 ms apart agree. */
async function waitUntilStable(page: Page, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  for (;;) {
    const count = await page.evaluate<number>(OPERATION_COUNT);
    if (count === previous) return;
    if (Date.now() > deadline) throw new Error(`Swagger UI kept changing for ${timeoutMs} ms`);
    previous = count;
    await page.waitForTimeout(100);
  }
}

export interface DocumentedOperation {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  /** Status codes, e.g. `['200', '400', '401']`. */
  responses: string[];
  /** A security requirement applies (the operation's own, or the document's) and none is `{}`. */
  authenticated: boolean;
  /** Request and response body schemas as `where: schema`, where `schema` is a component name or `inline`. */
  bodies: { where: string; schema: string }[];
}

export interface OpenApiInventory {
  title: string;
  operations: DocumentedOperation[];
  /** Names under `components.schemas`. */
  schemas: string[];
}

export async function fetchOpenApiDocument(baseUrl: string): Promise<OpenAPIObject> {
  const response = await fetch(`${trimSlash(baseUrl)}/docs-json`);
  if (!response.ok) throw new Error(`GET ${baseUrl}/docs-json answered ${response.status}`);
  return (await response.json()) as OpenAPIObject;
}

/** The operations, their documented responses and bodies, and the schemas of an OpenAPI document. */
export function openApiInventory(document: OpenAPIObject): OpenApiInventory {
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const security = operation.security ?? document.security ?? [];
      const bodies: DocumentedOperation['bodies'] = [];
      const requestBody = operation.requestBody;
      if (requestBody && !('$ref' in requestBody)) {
        for (const [type, media] of Object.entries(requestBody.content ?? {})) {
          if (media.schema) bodies.push({ where: `request ${type}`, schema: schemaName(media.schema) });
        }
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!response || '$ref' in response) continue;
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (media.schema)
            bodies.push({ where: `response ${status} ${type}`, schema: schemaName(media.schema) });
        }
      }
      operations.push({
        method,
        path,
        operationId: operation.operationId,
        summary: operation.summary,
        responses: Object.keys(operation.responses ?? {}),
        authenticated:
          security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0),
        bodies,
      });
    }
  }
  return {
    title: document.info?.title ?? '',
    operations,
    schemas: Object.keys(document.components?.schemas ?? {}),
  };
}

/** `Name` for `$ref: #/components/schemas/Name` (also as array items, or the sole `allOf` member), `binary` for files, else `inline`. */
function schemaName(schema: SchemaObject | ReferenceObject): string {
  if ('$ref' in schema) return schema.$ref.replace('#/components/schemas/', '');
  if (schema.type === 'array' && schema.items) return `${schemaName(schema.items)}[]`;
  if (schema.allOf?.length === 1) return schemaName(schema.allOf[0]);
  if (schema.format === 'binary') return 'binary';
  return 'inline';
}

export const operationKey = (operation: { method: string; path: string }): string =>
  `${operation.method.toUpperCase()} ${operation.path}`;

/**
 * Operations held to "rendered, with a summary" only: the platform's probes, which answer 200 or
 * 503 to anyone and have no 4xx to document. Keys as `operationKey` gives them.
 */
export const OPS_OPERATIONS: readonly string[] = ['GET /health/live', 'GET /health/ready'];

export interface SwaggerAuditOptions {
  /** Keys (`GET /path`) checked for rendering and summary only; default OPS_OPERATIONS. */
  opsOperations?: readonly string[];
}

/** Each problem a line naming the operation or schema at fault; empty when the console is complete. */
export function auditSwaggerConsole(
  inventory: OpenApiInventory,
  render: SwaggerConsoleRender,
  options: SwaggerAuditOptions = {},
): string[] {
  const ops = new Set(options.opsOperations ?? OPS_OPERATIONS);
  const problems: string[] = [];
  const rendered = new Map(render.operations.map((operation) => [operationKey(operation), operation]));
  if (inventory.operations.length === 0) problems.push('the OpenAPI document has no operations');
  for (const operation of inventory.operations) {
    const key = operationKey(operation);
    const shown = rendered.get(key);
    if (!shown) problems.push(`${key}: not rendered in the console`);
    if (!operation.summary?.trim()) problems.push(`${key}: no summary`);
    else if (shown && shown.summary !== operation.summary.trim()) {
      problems.push(`${key}: console shows summary "${shown.summary}", document has "${operation.summary}"`);
    }
    if (ops.has(key)) continue;
    if (!operation.responses.some((status) => /^4\d\d$/.test(status)))
      problems.push(`${key}: no 4xx response documented`);
    if (operation.authenticated && !operation.responses.includes('401')) {
      problems.push(`${key}: authenticated but no 401 response documented`);
    }
    for (const body of operation.bodies) {
      if (body.schema.startsWith('inline'))
        problems.push(`${key}: ${body.where} schema is inline, not a named component`);
    }
  }
  const shownSchemas = new Set(render.schemas);
  for (const schema of inventory.schemas) {
    if (!shownSchemas.has(schema)) problems.push(`schema ${schema}: not rendered in the console`);
  }
  problems.push(...render.renderErrors.map((error) => `console shows an error: ${error}`));
  problems.push(...render.pageErrors.map((error) => `page error: ${error}`));
  problems.push(...render.consoleErrors.map((error) => `console error: ${error}`));
  return problems;
}

export interface SwaggerConsoleReport {
  inventory: OpenApiInventory;
  render: SwaggerConsoleRender;
  problems: string[];
}

/** Fetches `/docs-json`, renders `/docs`, and audits one against the other. */
export async function checkSwaggerConsole(
  browser: Browser,
  baseUrl: string,
  options: SwaggerAuditOptions & RenderOptions = {},
): Promise<SwaggerConsoleReport> {
  const inventory = openApiInventory(await fetchOpenApiDocument(baseUrl));
  const render = await renderSwaggerConsole(browser, baseUrl, options);
  return { inventory, render, problems: auditSwaggerConsole(inventory, render, options) };
}

/**
 * For a jest test: fails listing every problem (an empty list is the pass). Returns the report so
 * a test can assert more, e.g. that a given operation is among `render.operations`.
 */
export async function expectSwaggerConsoleComplete(
  browser: Browser,
  baseUrl: string,
  options: SwaggerAuditOptions & RenderOptions = {},
): Promise<SwaggerConsoleReport> {
  const report = await checkSwaggerConsole(browser, baseUrl, options);
  expect(report.problems).toEqual([]);
  return report;
}

/** The console served at `baseUrl`, in a browser of its own (closed again): expectSwaggerConsoleComplete's report. */
export async function expectSwaggerConsoleAt(baseUrl: string): Promise<SwaggerConsoleReport> {
  const browser = await launchChromium();
  try {
    return await expectSwaggerConsoleComplete(browser, baseUrl);
  } finally {
    await browser.close();
  }
}

/** Starts `app` (e.g. from createTestApp) on a free loopback port and returns its base URL, for the browser. */
export async function listenOnFreePort(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');
