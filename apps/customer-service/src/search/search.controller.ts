import { Body, Controller, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { ApiProblems, RateLimit } from '@crm/http';
import { CUSTOMER_READERS } from '../common/customer-roles';
import { CustomerExportService } from './customer-export.service';
import { CustomerExportRequestDto, CustomerSearchRequestDto } from './search-filter.dto';
import { CustomerSearchPageDto } from './search-result.dto';
import { SearchService } from './search.service';

@ApiTags('customers')
@Controller('customers/search')
export class SearchController {
  constructor(
    private readonly search: SearchService,
    private readonly exports: CustomerExportService,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles(...CUSTOMER_READERS)
  @RateLimit('search')
  @ApiOperation({
    summary: 'Multi-dimensional customer search (多维度客户查询)',
    description:
      'All given conditions must hold. Results are limited to the caller’s data scope; amounts are the holdings the ' +
      'caller may see. Keyset pagination: pass nextCursor as cursor. ID and phone numbers are masked. ' +
      'Filtering by idNumber or phone needs pii:read (403 otherwise) and is audited like a reveal.',
  })
  @ApiOkResponse({ type: CustomerSearchPageDto })
  @ApiProblems(400, 429)
  find(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CustomerSearchRequestDto,
  ): Promise<CustomerSearchPageDto> {
    return this.search.search(user, body.filter ?? {}, body.pageSize, body.cursor);
  }

  @Post('export')
  @HttpCode(200)
  @Roles(...CUSTOMER_READERS)
  @RateLimit('export')
  @ApiOperation({
    summary: 'Export the whole result of a search as CSV (streamed, PII masked)',
    description:
      'Audited (caller, filter, row count). A filter matching more than EXPORT_MAX_ROWS customers is refused ' +
      '(422) before any row is sent; a query held up past EXPORT_STATEMENT_TIMEOUT_SECONDS is cancelled ' +
      '(503). Filtering by idNumber or phone needs pii:read. A stream that fails ' +
      'midway (or outlives EXPORT_MAX_SECONDS) is cut off: a CSV without its final line break is incomplete.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV with a header row (a file download)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(400, 422, 429, 503)
  async export(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CustomerExportRequestDto,
  ): Promise<StreamableFile> {
    const csv = await this.exports.exportCsv(user, body.filter ?? {});
    // CustomerExportService logs how an export ended; Nest's logger would add the error's own fields.
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="customers.csv"',
    }).setErrorLogger(() => undefined);
  }
}
