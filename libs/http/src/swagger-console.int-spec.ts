import { Body, Controller, Get, INestApplication, Module, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { IsString, Length } from 'class-validator';
import type { Browser } from 'playwright-core';
import { HealthModule } from '@crm/observability';
import {
  checkSwaggerConsole,
  expectSwaggerConsoleComplete,
  launchChromium,
  listenOnFreePort,
} from '@crm/testing';
import { createTestApp } from './http-app';

class ProblemDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ example: '/api/v1/notes/n-1' })
  instance!: string;
}

class NoteDto {
  @ApiProperty({ example: 'n-1' })
  id!: string;

  @ApiProperty({ example: 'Called about the mortgage renewal' })
  text!: string;
}

class CreateNoteDto {
  @ApiProperty({ example: 'Called about the mortgage renewal', minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  text!: string;
}

@ApiTags('notes')
@ApiUnauthorizedResponse({ description: 'No or invalid bearer token', type: ProblemDto })
@Controller('notes')
class DocumentedNotesController {
  @Get(':id')
  @ApiOperation({ summary: 'Read one note' })
  @ApiOkResponse({ type: NoteDto })
  @ApiNotFoundResponse({ description: 'No such note', type: ProblemDto })
  read(@Param('id') id: string): NoteDto {
    return { id, text: 'a note' };
  }

  @Post()
  @ApiOperation({ summary: 'Write a note' })
  @ApiCreatedResponse({ type: NoteDto })
  @ApiBadRequestResponse({ description: 'The field at fault is named', type: ProblemDto })
  create(@Body() body: CreateNoteDto): NoteDto {
    return { id: 'n-2', text: body.text };
  }
}

/** What the check exists to catch: no error responses, no summary, an inline response schema. */
@Controller('drafts')
class UndocumentedDraftsController {
  @Get()
  @ApiOperation({ summary: 'List drafts' })
  @ApiOkResponse({ schema: { type: 'object', properties: { count: { type: 'number' } } } })
  list(): { count: number } {
    return { count: 0 };
  }

  @Post()
  create(): NoteDto {
    return { id: 'd-1', text: '' };
  }
}

// With the platform's probes, as every service has them: held to rendering and summary only.
@Module({ imports: [HealthModule.forRoot({ checks: {} })], controllers: [DocumentedNotesController] })
class DocumentedModule {}

@Module({ controllers: [DocumentedNotesController, UndocumentedDraftsController] })
class PartlyDocumentedModule {}

async function start(module: new () => unknown): Promise<{ app: INestApplication; baseUrl: string }> {
  const app = await createTestApp(await Test.createTestingModule({ imports: [module] }).compile());
  return { app, baseUrl: await listenOnFreePort(app) };
}

describe('Swagger console in headless Chromium', () => {
  let browser: Browser;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await browser?.close();
  });

  it('passes a fully documented controller, and renders each operation and schema', async () => {
    const { app, baseUrl } = await start(DocumentedModule);
    apps.push(app);

    const report = await expectSwaggerConsoleComplete(browser, baseUrl);

    expect(report.render.title).toBe('test-service API');
    expect(report.render.operations).toEqual(
      expect.arrayContaining([
        { method: 'get', path: '/api/v1/notes/{id}', summary: 'Read one note' },
        { method: 'post', path: '/api/v1/notes', summary: 'Write a note' },
        expect.objectContaining({ method: 'get', path: '/health/ready' }),
      ]),
    );
    expect(report.render.schemas).toEqual(expect.arrayContaining(['ProblemDto', 'NoteDto', 'CreateNoteDto']));
    expect(report.inventory.operations.find((op) => op.path === '/api/v1/notes')).toMatchObject({
      authenticated: true,
      responses: expect.arrayContaining(['201', '400', '401']),
      bodies: expect.arrayContaining([{ where: 'request application/json', schema: 'CreateNoteDto' }]),
    });
  });

  it('reports the operations missing their summary, error responses or named schemas', async () => {
    const { app, baseUrl } = await start(PartlyDocumentedModule);
    apps.push(app);

    const { problems, render } = await checkSwaggerConsole(browser, baseUrl);

    expect(render.operations.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining(['get /api/v1/drafts', 'post /api/v1/drafts']),
    );
    expect(problems.sort()).toEqual(
      [
        'GET /api/v1/drafts: authenticated but no 401 response documented',
        'GET /api/v1/drafts: no 4xx response documented',
        'GET /api/v1/drafts: response 200 application/json schema is inline, not a named component',
        'POST /api/v1/drafts: authenticated but no 401 response documented',
        'POST /api/v1/drafts: no 4xx response documented',
        'POST /api/v1/drafts: no summary',
      ].sort(),
    );
  });
});
