import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  INestApplication,
  Logger,
  Module,
  Param,
  ParseIntPipe,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { ConfigModule, HttpServiceConfig } from '@crm/config';
import { HealthModule, MetricsModule } from '@crm/observability';
import { AccessTokenClaims, AuthErrorCode, Role, Roles, SecurityModule, signDevToken } from '@crm/security';
import { DomainErrorKind, DomainException } from './domain.exception';
import { createTestApp } from './http-app';

class AgeRange {
  @IsInt()
  @Min(0)
  min!: number;

  @IsInt()
  max!: number;
}

class Filters {
  @ValidateNested()
  @Type(() => AgeRange)
  age!: AgeRange;
}

class Item {
  @IsString()
  productCode!: string;
}

class SearchDto {
  @IsString()
  @IsNotEmpty()
  segment!: string;

  @ValidateNested()
  @Type(() => Filters)
  filters!: Filters;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Item)
  items?: Item[];
}

enum ProbeExceptionCode {
  NotFound = 'PROBE_NOT_FOUND',
  ContactCapReached = 'PROBE_CONTACT_CAP_REACHED',
}

class ProbeException extends DomainException<ProbeExceptionCode> {
  protected readonly kinds = {
    [ProbeExceptionCode.NotFound]: DomainErrorKind.NotFound,
    [ProbeExceptionCode.ContactCapReached]: DomainErrorKind.RuleViolation,
  };
}

@Controller('probe')
class ProbeController {
  private readonly logger = new Logger(ProbeController.name);

  @Post('search')
  search(@Body() dto: SearchDto): SearchDto {
    return dto;
  }

  @Get('items/:n')
  item(@Param('n', ParseIntPipe) n: number): { n: number } {
    return { n };
  }

  @Roles(Role.InstitutionHead)
  @Get('institution')
  institution(): { ok: true } {
    return { ok: true };
  }

  @Get('customers/:id')
  customer(@Param('id') id: string): never {
    throw new ProbeException(ProbeExceptionCode.NotFound, `customer ${id} not found`);
  }

  @Post('contacts')
  contact(): never {
    throw new ProbeException(
      ProbeExceptionCode.ContactCapReached,
      'the customer was contacted 3 times this week',
    );
  }

  @Get('boom')
  boom(): never {
    throw new Error('connection to 10.1.2.3:5432 refused');
  }

  @Get('logged')
  logged(): { ok: true } {
    this.logger.log('handling the probe');
    return { ok: true };
  }
}

let redisUp = true;

class ProbeServiceConfig extends HttpServiceConfig {}

@Module({
  imports: [
    ConfigModule.forRoot(ProbeServiceConfig),
    SecurityModule.forRoot(),
    MetricsModule,
    HealthModule.forRoot({
      checks: {
        postgres: async () => undefined,
        redis: async () => {
          if (!redisUp) throw new Error('ECONNREFUSED');
        },
      },
    }),
  ],
  controllers: [ProbeController],
})
class ProbeModule {}

const ENV = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  JWT_ISSUER: 'bank-crm-test',
  JWT_AUDIENCE: 'bank-crm',
  PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  PII_HASH_KEY: randomBytes(32).toString('base64'),
};

const manager: AccessTokenClaims = {
  sub: 'alice',
  roles: [Role.RelationshipManager],
  inst: 'INST-0101',
  mgr: 'MGR-0101-01',
};

describe('an HTTP service configured by the http lib', () => {
  const saved = { ...process.env };
  const logChunks: string[] = [];
  const logLines = () =>
    logChunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  let app: INestApplication;
  let token: string;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    token = signDevToken(manager, ENV, 600);
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logChunks.push(chunk.toString());
        done();
      },
    });
    app = await createTestApp(moduleRef, { serviceName: 'probe-service', logDestination });
  });

  afterAll(async () => {
    await app.close();
    process.env = saved;
  });

  const expectProblem = (response: request.Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status,
      title: expect.any(String),
      instance: expect.stringMatching(/^\//),
    });
    expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.ts:\d+/);
  };

  describe('security headers', () => {
    it('marks API answers, errors included, as not to be stored, with helmet’s headers and a closed CSP', async () => {
      for (const path of ['/api/v1/probe/items/7', '/api/v1/probe/customers/C1']) {
        const response = await api().get(path).set('Authorization', `Bearer ${token}`);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
        expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('leaves ops routes cacheable by default and the console its own policy', async () => {
      const live = await api().get('/health/live').expect(200);
      expect(live.headers['cache-control']).toBeUndefined();
      expect(live.headers['x-frame-options']).toBe('SAMEORIGIN');
      const docs = await api().get('/docs/').expect(200);
      expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    });
  });

  describe('validation', () => {
    it('answers 400 naming every nested and unknown field at fault', async () => {
      const response = await api()
        .post('/api/v1/probe/search')
        .set('Authorization', `Bearer ${token}`)
        .send({
          segment: '',
          filters: { age: { min: -1, max: 'old', colour: 'red' } },
          items: [{ productCode: 7 }],
          sortBy: 'x',
        });
      expectProblem(response, 400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        type: 'urn:problem-type:crm:validation-failed',
      });
      const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(
        new Set([
          'segment',
          'filters.age.min',
          'filters.age.max',
          'filters.age.colour',
          'items[0].productCode',
          'sortBy',
        ]),
      );
      expect(response.body.errors).toContainEqual({ field: 'sortBy', message: 'is not an allowed field' });
      expect(response.body.errors).toContainEqual({
        field: 'filters.age.min',
        message: 'min must not be less than 0',
      });
    });

    it('transforms and passes a valid body', async () => {
      const body = { segment: 'mass', filters: { age: { min: 18, max: 60 } } };
      await api()
        .post('/api/v1/probe/search')
        .set('Authorization', `Bearer ${token}`)
        .send(body)
        .expect(201, body);
    });

    it('answers 400 for a malformed JSON body without echoing it', async () => {
      const response = await api()
        .post('/api/v1/probe/search')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send('{"segment": "13812345678", ');
      expectProblem(response, 400);
      expect(response.body).toMatchObject({
        code: 'MALFORMED_BODY',
        detail: 'The request body is not valid JSON',
      });
      expect(JSON.stringify(response.body)).not.toContain('13812345678');
    });

    it('passes on the detail of Nest’s own pipes', async () => {
      const response = await api().get('/api/v1/probe/items/abc').set('Authorization', `Bearer ${token}`);
      expectProblem(response, 400);
      expect(response.body.detail).toMatch(/numeric string is expected/);
    });
  });

  describe('hostile input', () => {
    const valid = { segment: 'mass', filters: { age: { min: 18, max: 60 } } };
    const post = () => api().post('/api/v1/probe/search').set('Authorization', `Bearer ${token}`);
    // Built as text: JSON.stringify itself overflows the stack at such depths.
    const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

    it('answers 413 for a body nested past the limit, before validation can overflow the stack', async () => {
      const response = await post()
        .set('Content-Type', 'application/json')
        .send(`{"segment":"mass","filters":{"age":{"min":18,"max":60}},"deep":${nested(5_000)}}`);
      expectProblem(response, 413);
      expect(response.body.code).toBe('BODY_TOO_DEEP');
    });

    it('answers 400 naming each field (body, query, path) that holds a NUL character', async () => {
      const body = await post().send({ ...valid, segment: 'ma\u0000ss', items: [{ productCode: '\u0000' }] });
      expectProblem(body, 400);
      expect(body.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'segment',
        'items[0].productCode',
      ]);
      const query = await api().get('/api/v1/probe/logged?q=a%00b').set('Authorization', `Bearer ${token}`);
      expectProblem(query, 400);
      expect(query.body.errors).toEqual([{ field: 'q', message: 'q must not contain NUL characters' }]);
      const path = await api().get('/api/v1/probe/customers/C%001').set('Authorization', `Bearer ${token}`);
      expectProblem(path, 400);
      expect(path.body.errors).toEqual([{ field: 'id', message: 'id must not contain NUL characters' }]);
    });

    it('reads a null optional field as absent and names a null required one', async () => {
      await post()
        .send({ ...valid, items: null })
        .expect(201, valid);
      const response = await post().send({ segment: 'mass', filters: null });
      expectProblem(response, 400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('filters');
    });

    it('decodes a gzip body, and answers 400 for one that is not what its Content-Encoding says', async () => {
      await post()
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        // superagent would serialise a Buffer as JSON under this content type.
        .serialize((body: Buffer) => body as unknown as string)
        .send(gzipSync(JSON.stringify(valid)))
        .expect(201, valid);
      for (const encoding of ['gzip', 'deflate']) {
        const response = await post()
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding)
          .send(JSON.stringify(valid));
        expectProblem(response, 400);
        expect(response.body.code).toBe('MALFORMED_BODY');
      }
    });

    it('answers 415 for an unknown Content-Encoding and for a body that is not JSON', async () => {
      const encoding = await post()
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'x-snappy')
        .send(JSON.stringify(valid));
      expectProblem(encoding, 415);
      const xml = await post().set('Content-Type', 'application/xml').send('<search/>');
      expectProblem(xml, 415);
      expect(xml.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  it('answers 404 for an unknown route without the query string', async () => {
    const response = await api().get('/api/v1/nowhere?phone=13812345678');
    expectProblem(response, 404);
    expect(response.body).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      instance: '/api/v1/nowhere',
      detail: 'No route matches GET /api/v1/nowhere',
    });
    expect(JSON.stringify(response.body)).not.toContain('13812345678');
  });

  it('answers 405 with an Allow header for a method a route does not serve, before authentication', async () => {
    const get = await api().delete('/api/v1/probe/items/7?phone=13812345678');
    expectProblem(get, 405);
    expect(get.headers.allow).toBe('GET, HEAD');
    expect(get.body).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      instance: '/api/v1/probe/items/7',
      detail: 'DELETE is not allowed on /api/v1/probe/items/7; allowed: GET, HEAD',
    });
    const post = await api().put('/api/v1/probe/search').set('Authorization', `Bearer ${token}`);
    expectProblem(post, 405);
    expect(post.headers.allow).toBe('POST');
    // A handler's own 404 stays a 404.
    expectProblem(await api().get('/api/v1/probe/customers/C1').set('Authorization', `Bearer ${token}`), 404);
  });

  it('answers 401 without a token', async () => {
    const response = await api().get('/api/v1/probe/logged');
    expectProblem(response, 401);
    expect(response.body.code).toBe(AuthErrorCode.TokenMissing);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers 403 when the role does not match', async () => {
    const response = await api().get('/api/v1/probe/institution').set('Authorization', `Bearer ${token}`);
    expectProblem(response, 403);
    expect(response.body.code).toBe(AuthErrorCode.RoleForbidden);
  });

  it.each([
    ['get', '/api/v1/probe/customers/CUST-9', 404, 'PROBE_NOT_FOUND', 'customer CUST-9 not found'],
    [
      'post',
      '/api/v1/probe/contacts',
      422,
      'PROBE_CONTACT_CAP_REACHED',
      'the customer was contacted 3 times this week',
    ],
  ] as const)('maps a DomainException to its status (%s %s)', async (method, path, status, code, detail) => {
    const response = await api()[method](path).set('Authorization', `Bearer ${token}`);
    expectProblem(response, status);
    expect(response.body).toMatchObject({
      code,
      detail,
      type: `urn:problem-type:crm:${code.toLowerCase().replace(/_/g, '-')}`,
    });
  });

  it('answers 500 with a generic detail and logs the error with its stack', async () => {
    const response = await api()
      .get('/api/v1/probe/boom')
      .set('Authorization', `Bearer ${token}`)
      .set('x-correlation-id', 'corr-boom');
    expectProblem(response, 500);
    expect(response.body).toEqual({
      type: 'urn:problem-type:crm:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
      instance: '/api/v1/probe/boom',
      code: 'INTERNAL_ERROR',
      correlationId: 'corr-boom',
    });
    const logged = logLines().find((l) => l.correlationId === 'corr-boom' && l.msg === 'unhandled error');
    expect(logged).toMatchObject({ level: 'error', err: { message: 'connection to 10.1.2.3:5432 refused' } });
    expect((logged?.err as { stack: string }).stack).toContain('http-app.spec.ts');
  });

  it('propagates the correlation id to the response and to every log line of the request', async () => {
    const response = await api()
      .get('/api/v1/probe/logged')
      .set('Authorization', `Bearer ${token}`)
      .set('x-correlation-id', 'corr-http-1')
      .expect(200);
    expect(response.headers['x-correlation-id']).toBe('corr-http-1');
    const lines = logLines().filter((l) => l.correlationId === 'corr-http-1');
    expect(lines).toContainEqual(
      expect.objectContaining({
        service: 'probe-service',
        msg: 'handling the probe',
        context: 'ProbeController',
        userId: 'alice',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        method: 'GET',
        route: '/api/v1/probe/logged',
        status: 200,
        durationMs: expect.any(Number),
      }),
    );
  });

  it('generates a correlation id when the caller sends none', async () => {
    const response = await api().get('/health/live').expect(200);
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus text with the request-duration histogram, publicly and outside /api/v1', async () => {
    await api().get('/api/v1/probe/customers/CUST-7').set('Authorization', `Bearer ${token}`).expect(404);
    const response = await api().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(response.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(response.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/probe\/customers\/:id",status="404"\} [1-9]/,
    );
    expect(response.text).toContain('process_resident_memory_bytes');
    await api().get('/api/v1/metrics').expect(404);
  });

  it('answers readiness 200 when every check is up and 503 naming the one that is down', async () => {
    await api()
      .get('/health/ready')
      .expect(200, { status: 'ok', checks: { postgres: 'up', redis: 'up' } });
    redisUp = false;
    try {
      await api()
        .get('/health/ready')
        .expect(503, { status: 'down', checks: { postgres: 'up', redis: 'down' } });
    } finally {
      redisUp = true;
    }
  });

  it('serves the Swagger console and its OpenAPI document with bearer auth', async () => {
    await api().get('/docs').expect(200);
    const document = (await api().get('/docs-json').expect(200)).body;
    expect(document.info).toMatchObject({ title: 'probe-service API', version: '1.0.0' });
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/probe/search', '/health/ready']),
    );
  });
});
