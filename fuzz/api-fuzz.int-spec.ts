import { gzipSync } from 'node:zlib';
import request from 'supertest';
import {
  ALERT_PROTO,
  ASSIGNMENT_PROTO,
  CAMPAIGN_PROTO,
  CUSTOMER_PROTO,
  EVENT_SAMPLES,
  EventTypes,
} from '@crm/contracts';
import { ALL_ROLES, AccessTokenClaims, Role, signDevToken } from '@crm/security';
import {
  MANAGERS,
  ORG,
  assignmentHarness,
  corebank,
  seedOrganisation,
} from '../apps/assignment-service/src/testing/bank.fixture';
import { ALERT_SERVICE } from '../apps/alert-service/src/service';
import { ANALYTICS_SERVICE } from '../apps/analytics-service/src/service';
import { CAMPAIGN_SERVICE } from '../apps/campaign-service/src/service';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { TEST_SECRETS, eventually } from '@crm/testing';
import { CUSTOMER_SERVICE } from '../apps/customer-service/src/service';
import {
  FORGED_CURSORS,
  FORGED_IDS,
  ID_NUMBER,
  PHONE,
  SEED,
  Tokens,
  WRONG_SCALARS,
  forgedAuthorizations,
  seeded,
} from './fuzz-inputs';
import { GrpcServiceUnderFuzz, fuzzGrpc } from './grpc-fuzz';

/** Every service under test accepts tokens signed with TEST_SECRETS (the harness's environment). */
const TEST_TOKENS: Tokens = {
  sign: (claims, ttl) => signDevToken(claims, TEST_SECRETS, ttl),
  secret: TEST_SECRETS.JWT_SECRET,
};

/**
 * The acceptance fuzz of issue 9: every operation of each service's OpenAPI document gets
 * malformed requests (tokens, types, NUL, nulls, sizes, depth, forged ids and cursors, content
 * types and encodings), and each path the methods it does not serve (405 with `Allow`). None may
 * answer 5xx; every 4xx is problem details; nothing answers 2xx without a valid token; no body shows
 * an unmasked ID or phone number to a caller without pii:read. The services with a gRPC server get
 * the same over every method of their proto (grpc-fuzz.ts): refusals only, never INTERNAL or UNKNOWN.
 * Deterministic: the choices are drawn from a seeded generator.
 */

type Server = Parameters<typeof request>[0];
type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  parameters: { name: string; in: 'path' | 'query'; schema?: Json }[];
  bodySchema?: Json;
  streams: boolean;
}

interface Probe {
  label: string;
  method: Operation['method'];
  url: string;
  authorization?: string;
  authenticated: boolean;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as it is; anything else as JSON. */
  body?: unknown;
}

interface WrongMethodProbe extends Probe {
  /** The `Allow` header the 405 must carry. */
  allow: string;
}

interface Tally {
  operations: number;
  requests: number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
}

const MAX_DEPTH_PROBE = 5_000;
/** assignment-service's customer with coverage (an account at outlet 810100, manager RM-A1). */
const COVERED_CUSTOMER = 'C100000000001';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

function resolve(schema: Json | undefined, doc: Json): Json | undefined {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 10; hops++) {
    const name = (current.$ref as string).split('/').pop()!;
    current = ((doc.components as Json).schemas as Json)[name] as Json;
  }
  return current;
}

/** A plausible value for a schema: its example, else the first enum value, else one of its type. */
function sampleOf(schema: Json | undefined, doc: Json, depth = 0): unknown {
  const s = resolve(schema, doc);
  if (!s || depth > 6) return 'x';
  if (s.example !== undefined && s.type !== 'object') return s.example;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.allOf)) return sampleOf(s.allOf[0] as Json, doc, depth + 1);
  switch (s.type) {
    case 'object': {
      // Only what is required: optional fields' examples may contradict each other (min above max).
      const required = new Set((s.required ?? []) as string[]);
      const properties = Object.entries((s.properties ?? {}) as Record<string, Json>);
      return Object.fromEntries(
        properties.filter(([k]) => required.has(k)).map(([k, v]) => [k, sampleOf(v, doc, depth + 1)]),
      );
    }
    case 'array':
      return [sampleOf(s.items as Json, doc, depth + 1)];
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return true;
    default:
      if (s.format === 'date-time') return '2026-06-01T09:00:00+08:00';
      if (s.format === 'date') return '2026-06-01';
      if (s.format === 'uuid') return '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11';
      return 'x';
  }
}

function operationsOf(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const content = (op.requestBody as Json | undefined)?.content as Json | undefined;
      const responses = JSON.stringify(op.responses ?? {});
      operations.push({
        method,
        path,
        parameters: ((op.parameters ?? []) as Operation['parameters']).filter(
          (p) => p.in === 'path' || p.in === 'query',
        ),
        bodySchema: (content?.['application/json'] as Json | undefined)?.schema as Json | undefined,
        streams: responses.includes('text/event-stream'),
      });
    }
  }
  return operations;
}

function urlOf(op: Operation, pathValues: Record<string, string>, query: [string, string][]): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(pathValues[name] ?? 'x').replace(/%25([0-9A-F]{2})/gi, '%$1'),
  );
  const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return search ? `${path}?${search}` : path;
}

/**
 * The requests of one operation: phase `roles`, its plain request once per role; phase `malformed`,
 * the malformed ones, each as one of `roleTokens` drawn at random (the roles the operation lets
 * in, so that they get past the role check). No token holds pii:read.
 */
function probesOf(
  op: Operation,
  doc: Json,
  tokens: Tokens,
  roleTokens: string[],
  knownIds: string[],
  random: () => number,
  phase: 'roles' | 'malformed',
): Probe[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const validPath = Object.fromEntries(
    pathParams.map((p) => [
      p.name,
      (p.schema?.format === 'uuid' ? knownIds.find((id) => UUID.test(id)) : knownIds[0]) ?? 'x',
    ]),
  );
  const baseUrl = urlOf(op, validPath, []);
  const sample = op.bodySchema ? sampleOf(op.bodySchema, doc) : undefined;
  // A stream answered 200 stays open: only its refusals are probed.
  if (phase === 'roles' && op.streams) return [];
  if (phase === 'roles')
    return roleTokens.map((token) => ({
      label: 'each role',
      method: op.method,
      url: baseUrl,
      authorization: `Bearer ${token}`,
      authenticated: true,
      body: sample,
    }));
  const probes: Probe[] = [];
  const unauthenticated = (label: string, authorization?: string) =>
    probes.push({
      label,
      method: op.method,
      url: baseUrl,
      authorization,
      authenticated: false,
      body: sample,
    });

  for (const [label, authorization] of forgedAuthorizations(tokens)) unauthenticated(label, authorization);
  if (op.streams) return probes;

  const authed = (label: string, extra: Partial<Probe>) =>
    probes.push({
      label,
      method: op.method,
      url: baseUrl,
      authorization: `Bearer ${pick(roleTokens)}`,
      authenticated: true,
      body: sample,
      ...extra,
    });

  for (const param of pathParams)
    for (const forged of FORGED_IDS)
      authed(`path ${param.name}=${forged.slice(0, 20)}`, {
        url: urlOf(op, { ...validPath, [param.name]: forged }, []),
      });

  for (const param of queryParams) {
    const values = param.name === 'cursor' ? [...FORGED_CURSORS, ...WRONG_SCALARS] : WRONG_SCALARS;
    for (const value of values)
      authed(`query ${param.name}`, { url: urlOf(op, validPath, [[param.name, value]]) });
    authed(`query ${param.name} twice`, {
      url: urlOf(op, validPath, [
        [param.name, 'a'],
        [param.name, 'b'],
      ]),
    });
    authed(`query ${param.name} nested`, { url: `${baseUrl}?${param.name}[a][b]=1` });
  }
  authed('unknown query parameter', { url: urlOf(op, validPath, [['nope', '1']]) });

  if (op.method === 'get' || op.method === 'delete') return probes;
  const json = (label: string, body: unknown) => authed(label, { body });
  const raw = (label: string, body: string | Buffer, headers: Record<string, string>) =>
    authed(label, { body, headers });
  const bodySchema = resolve(op.bodySchema, doc);
  if (sample && typeof sample === 'object' && !Array.isArray(sample) && bodySchema) {
    for (const [key, property] of Object.entries((bodySchema.properties ?? {}) as Record<string, Json>)) {
      json(`body ${key}=null`, { ...sample, [key]: null });
      json(`body ${key} NUL`, { ...sample, [key]: 'a\u0000b' });
      json(`body ${key} number`, { ...sample, [key]: 1e308 });
      json(`body ${key} object`, { ...sample, [key]: { nested: [1] } });
      json(`body ${key} array`, { ...sample, [key]: [null] });
      json(`body ${key} string`, { ...sample, [key]: pick(WRONG_SCALARS) });
      json(`body ${key} huge`, { ...sample, [key]: 'x'.repeat(200_000) });
      const inner = resolve(property, doc);
      for (const [innerKey, innerProperty] of Object.entries(
        (inner?.properties ?? {}) as Record<string, Json>,
      )) {
        const value = { ...(sampleOf(inner, doc) as Json) };
        json(`body ${key}.${innerKey}=null`, { ...sample, [key]: { ...value, [innerKey]: null } });
        json(`body ${key}.${innerKey} wrong`, {
          ...sample,
          [key]: { ...value, [innerKey]: pick(WRONG_SCALARS) },
        });
        json(`body ${key}.${innerKey} example`, {
          ...sample,
          [key]: { ...value, [innerKey]: sampleOf({ ...innerProperty, required: [] }, doc) },
        });
      }
    }
    for (const cursor of FORGED_CURSORS) json('body cursor', { ...sample, cursor });
  }
  const text = JSON.stringify(sample ?? {});
  const asJson = { 'Content-Type': 'application/json' };
  json('body null (sent as {})', {});
  raw('body deeply nested', deepJson(MAX_DEPTH_PROBE), asJson);
  raw('body field deeply nested', `{"x":${deepJson(MAX_DEPTH_PROBE)}}`, asJson);
  raw('body over the size limit', JSON.stringify({ x: 'x'.repeat(2_000_000) }), asJson);
  raw('empty body', '', asJson);
  raw('body []', '[]', asJson);
  raw('body null', 'null', asJson);
  raw('body string', '"text"', asJson);
  raw(
    'body prototype pollution',
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"p":1}}}',
    asJson,
  );
  raw('body not JSON', '{"a":', asJson);
  raw('body XML', '<search><a>1</a></search>', { 'Content-Type': 'application/xml' });
  raw('body text/plain', text, { 'Content-Type': 'text/plain' });
  raw('body form', 'a=1&b=2', { 'Content-Type': 'application/x-www-form-urlencoded' });
  raw('body no content type', text, { 'Content-Type': '' });
  raw('gzip that is not gzip', text, { ...asJson, 'Content-Encoding': 'gzip' });
  raw('deflate that is not deflate', text, { ...asJson, 'Content-Encoding': 'deflate' });
  raw('unsupported encoding', text, { ...asJson, 'Content-Encoding': 'x-snappy' });
  raw('gzip bomb', gzipSync(JSON.stringify({ x: '0'.repeat(20_000_000) })), {
    ...asJson,
    'Content-Encoding': 'gzip',
  });
  raw('charset unsupported', text, { 'Content-Type': 'application/json; charset=x-klingon' });
  return probes;
}

async function send(server: Server, probe: Probe): Promise<request.Response> {
  let req = request(server)[probe.method](probe.url).timeout(15_000);
  if (probe.authorization) req = req.set('Authorization', probe.authorization);
  for (const [name, value] of Object.entries(probe.headers ?? {})) req = req.set(name, value);
  if (probe.body === undefined || probe.method === 'get') return req;
  if (typeof probe.body === 'string' || Buffer.isBuffer(probe.body))
    // superagent would serialise a Buffer (or re-encode a string) under a JSON content type.
    return req.serialize((body: string) => body).send(probe.body as string);
  return req.send(probe.body as object);
}

interface ServiceUnderFuzz {
  name: string;
  server: Server;
  tokens: Tokens;
  /** Claims per role, none with pii:read. */
  roleClaims: AccessTokenClaims[];
  knownIds: string[];
  /** Its gRPC server, where it has one. */
  grpc?: Pick<GrpcServiceUnderFuzz, 'address' | 'protoPath' | 'samples' | 'openEnded'>;
}

/**
 * Each method a documented path does not serve, sent to it with and without a token: a 405 whose
 * `Allow` names the methods of every documented path the URL matches (`/customers/search` is also
 * `/customers/{id}`), HEAD wherever GET is.
 */
function wrongMethodProbesOf(
  operations: Operation[],
  tokens: string[],
  knownIds: string[],
): WrongMethodProbe[] {
  const templateOf = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
  const probes: WrongMethodProbe[] = [];
  for (const path of new Set(operations.map((op) => op.path))) {
    const op = operations.find((o) => o.path === path)!;
    const url = urlOf(op, Object.fromEntries(op.parameters.map((p) => [p.name, knownIds[0]])), []);
    const served = new Set(
      operations.filter((o) => templateOf(o.path).test(url)).map((o) => o.method.toUpperCase()),
    );
    if (served.has('GET')) served.add('HEAD');
    const allow = [...served].sort().join(', ');
    for (const method of METHODS) {
      if (served.has(method.toUpperCase())) continue;
      probes.push({ label: 'wrong method, no token', method, url, authenticated: false, allow });
      probes.push({
        label: 'wrong method',
        method,
        url,
        authorization: `Bearer ${tokens[0]}`,
        authenticated: true,
        allow,
      });
    }
  }
  return probes;
}

async function fuzz(service: ServiceUnderFuzz, failures: string[]): Promise<Tally> {
  const tally: Tally = { operations: 0, requests: 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  const doc = (await request(service.server).get('/docs-json').expect(200)).body as Json;
  const random = seeded(SEED);
  const roleTokens = service.roleClaims.map((c) => service.tokens.sign(c));
  const check = async (probe: Probe, operation: string): Promise<request.Response | undefined> => {
    const where = `${service.name} ${operation} [${probe.label}]`;
    let response: request.Response;
    try {
      response = await send(service.server, probe);
    } catch (error) {
      failures.push(`${where}: no answer (${(error as Error).message})`);
      return undefined;
    }
    tally.requests++;
    const statusClass = `${Math.floor(response.status / 100)}xx` as keyof Tally;
    if (statusClass in tally) tally[statusClass]++;
    const contentType = String(response.headers['content-type'] ?? '');
    const text = response.text ?? '';
    if (response.status >= 500) failures.push(`${where}: ${response.status} ${text.slice(0, 200)}`);
    else if (response.status >= 400 && !contentType.startsWith('application/problem+json'))
      failures.push(`${where}: ${response.status} as ${contentType || 'no content type'}`);
    if (!probe.authenticated && response.status < 300)
      failures.push(`${where}: ${response.status} without a valid token`);
    if (ID_NUMBER.test(text) || PHONE.test(text))
      failures.push(`${where}: an unmasked ID or phone number without pii:read`);
    return response;
  };
  const operations = operationsOf(doc);
  tally.operations = operations.length;
  for (const op of operations) {
    const operation = `${op.method.toUpperCase()} ${op.path}`;
    const allowed: string[] = [];
    for (const probe of probesOf(op, doc, service.tokens, roleTokens, service.knownIds, random, 'roles')) {
      const status = (await check(probe, operation))?.status;
      if (status !== undefined && status !== 401 && status !== 403)
        allowed.push(probe.authorization!.slice('Bearer '.length));
    }
    const tokens = allowed.length > 0 ? allowed : roleTokens;
    for (const probe of probesOf(op, doc, service.tokens, tokens, service.knownIds, random, 'malformed'))
      await check(probe, operation);
  }
  for (const probe of wrongMethodProbesOf(operations, roleTokens, service.knownIds)) {
    const operation = `${probe.method.toUpperCase()} ${probe.url}`;
    const response = await check(probe, operation);
    if (response && (response.status !== 405 || response.headers.allow !== probe.allow))
      failures.push(
        `${service.name} ${operation} [${probe.label}]: ${response.status} Allow: ${String(response.headers.allow)}, not 405 Allow: ${probe.allow}`,
      );
  }
  return tally;
}

describe('API fuzz: malformed requests to every operation of the services, REST and gRPC', () => {
  const services: ServiceUnderFuzz[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const customer = new ServiceHarness(CUSTOMER_SERVICE, { name: 'fuzz' });
    closers.push(() => customer.destroy());
    await customer.start();
    const registered = EVENT_SAMPLES[EventTypes.CustomerRegistered] as { customerId: string };
    await customer.publish(
      customer.clock.envelope(EventTypes.CustomerRegistered, registered.customerId, registered),
    );
    const customerAdmin = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HO' });
    // The fuzz reads a customer with an ID and a phone number, to see them masked.
    for (let i = 0; i < 100; i++) {
      const found = await request(customer.app.getHttpServer())
        .get(`/api/v1/customers/${registered.customerId}`)
        .set('Authorization', `Bearer ${customerAdmin}`);
      if (found.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    services.push({
      name: 'customer-service',
      server: customer.app.getHttpServer(),
      tokens: TEST_TOKENS,
      roleClaims: roleClaims('11001'),
      knownIds: [registered.customerId, '11001', '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11'],
      grpc: {
        address: customer.grpcAddress,
        protoPath: CUSTOMER_PROTO.path,
        samples: {
          GetCustomer: { customerId: registered.customerId },
          BatchGetCustomers: { customerIds: [registered.customerId, 'C-unknown'] },
          SearchCustomers: { pageSize: 10 },
          StreamCustomerIds: { batchSize: 10 },
        },
      },
    });

    const assignment = assignmentHarness('fuzz');
    closers.push(() => assignment.destroy());
    await assignment.start();
    // The fixture bank and a covered customer, so that reads answer with data, not only refusals.
    await seedOrganisation(assignment);
    await assignment.publish(
      corebank.accountOpened(assignment.clock, {
        accountId: 'A-FUZZ-1',
        customerId: COVERED_CUSTOMER,
        institutionId: ORG.outletA1,
        balance: '50000.00',
        managerId: MANAGERS.a1.id,
      }),
    );
    await eventually(
      async () =>
        (
          await assignment.query(`SELECT 1 FROM $schema.customer_coverage WHERE customer_id = $1`, [
            COVERED_CUSTOMER,
          ])
        ).length === 1,
    );
    services.push({
      name: 'assignment-service',
      server: assignment.app.getHttpServer(),
      tokens: TEST_TOKENS,
      roleClaims: roleClaims(ORG.branchA),
      knownIds: [ORG.headOffice, ORG.branchA, MANAGERS.a1.id, COVERED_CUSTOMER],
      grpc: {
        address: assignment.grpcAddress,
        protoPath: ASSIGNMENT_PROTO.path,
        samples: {
          GetCoverage: { customerId: COVERED_CUSTOMER },
          ListCoveredCustomers: { institutionId: ORG.branchA, subtree: true, pageSize: 10 },
        },
      },
    });

    const alert = new ServiceHarness(ALERT_SERVICE, { name: 'fuzz' });
    closers.push(() => alert.destroy());
    await alert.start();
    services.push({
      name: 'alert-service',
      server: alert.app.getHttpServer(),
      tokens: TEST_TOKENS,
      roleClaims: roleClaims('OUT1'),
      knownIds: ['OUT1', '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11'],
      grpc: {
        address: alert.grpcAddress,
        protoPath: ALERT_PROTO.path,
        samples: {
          ListAlerts: { status: 'open', limit: 10 },
          GetAlert: { alertId: '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11' },
          AcknowledgeAlert: { alertId: '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11' },
          ResolveAlert: { alertId: '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11', outcome: 'called the customer' },
          WatchAlerts: { kinds: ['large-inflow'] },
        },
        openEnded: ['WatchAlerts'],
      },
    });

    const campaign = new ServiceHarness(CAMPAIGN_SERVICE, {
      name: 'fuzz',
      env: { DISPATCH_INTERVAL_MS: '600000' },
    });
    closers.push(() => campaign.destroy());
    await campaign.start();
    services.push({
      name: 'campaign-service',
      server: campaign.app.getHttpServer(),
      tokens: TEST_TOKENS,
      roleClaims: roleClaims('OUT1'),
      knownIds: ['OUT1', 'CMP-000000000000', COVERED_CUSTOMER, '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11'],
      grpc: {
        address: campaign.grpcAddress,
        protoPath: CAMPAIGN_PROTO.path,
        samples: {
          Decide: { customerId: COVERED_CUSTOMER, channel: 'lobby' },
          RecordResponse: { decisionId: '0b8e2f9e-5a7c-4c1e-9f53-2d7d0f1c9a11', response: 'declined' },
        },
      },
    });

    const analytics = new ServiceHarness(ANALYTICS_SERVICE, { name: 'fuzz' });
    closers.push(() => analytics.destroy());
    await analytics.start();
    services.push({
      name: 'analytics-service',
      server: analytics.app.getHttpServer(),
      tokens: TEST_TOKENS,
      roleClaims: roleClaims('OUT1'),
      knownIds: ['OUT1', COVERED_CUSTOMER, '2025-03'],
    });
  }, 150_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  it('answers no 5xx, only problem details for 4xx, no 2xx without a token, no unmasked PII', async () => {
    const failures: string[] = [];
    const tallies = await Promise.all(services.map((service) => fuzz(service, failures)));
    const table = Object.fromEntries(services.map((s, i) => [s.name, tallies[i]]));
    console.log(`API fuzz (seed ${SEED}):\n${JSON.stringify(table, null, 2)}`);
    expect(failures).toEqual([]);
    // Every operation gets its role probes and dozens of malformed ones, whatever the service's size.
    for (const tally of tallies) {
      expect(tally.operations).toBeGreaterThan(0);
      expect(tally.requests).toBeGreaterThanOrEqual(30 * tally.operations);
    }
  }, 300_000);

  it('answers malformed gRPC calls with refusals only: no INTERNAL or UNKNOWN, no unauthenticated OK, no unmasked PII', async () => {
    const failures: string[] = [];
    const withGrpc = services.filter((s) => s.grpc);
    const tallies = await Promise.all(
      withGrpc.map(({ name, tokens, roleClaims, grpc }) =>
        fuzzGrpc({ name, tokens, roleClaims, ...grpc! }, failures),
      ),
    );
    const table = Object.fromEntries(withGrpc.map((s, i) => [s.name, tallies[i]]));
    console.log(`gRPC fuzz (seed ${SEED}):\n${JSON.stringify(table, null, 2)}`);
    expect(failures).toEqual([]);
    expect(withGrpc.map((s) => s.name)).toEqual([
      'customer-service',
      'assignment-service',
      'alert-service',
      'campaign-service',
    ]);
    for (const tally of tallies) expect(tally.calls).toBeGreaterThan(100);
  }, 300_000);
});

/** One token's claims per role, at an institution of the service's fixtures; none holds pii:read. */
function roleClaims(inst: string): AccessTokenClaims[] {
  return ALL_ROLES.map((role) => ({
    sub: `fuzz-${role}`,
    roles: [role],
    inst,
    ...(role === Role.RelationshipManager ? { mgr: 'RM-A1' } : {}),
  }));
}
