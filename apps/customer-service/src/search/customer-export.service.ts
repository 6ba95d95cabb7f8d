import { Injectable, Logger } from '@nestjs/common';
import { Readable, Transform } from 'node:stream';
import { Pool, PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { BusinessCalendar } from '@crm/calendar';
import { currentContext, runWithContext } from '@crm/observability';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { CustomerServiceConfig } from '../app.config';
import { CustomerException, CustomerExceptionCode } from '../common/customer.exception';
import { CustomerSearchFilterDto } from './search-filter.dto';
import { SearchRow } from './search-query.builder';
import { CustomerSearchItemDto } from './search-result.dto';
import { SearchService, auditableFilter } from './search.service';

export const CSV_COLUMNS: readonly (keyof CustomerSearchItemDto)[] = [
  'id',
  'kind',
  'name',
  'gender',
  'age',
  'regionCode',
  'idNumber',
  'phone',
  'valueTier',
  'lifecycleStage',
  'primaryInstitutionId',
  'primaryManagerId',
  'keyCustomer',
  'aum',
  'deposits',
  'loans',
  'cards',
  'lastTransactionAt',
];

const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** One CSV field: quoted when needed, and a leading formula character neutralised for spreadsheets. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The export ran longer than EXPORT_MAX_SECONDS (typically a client reading slowly). */
export class ExportTimedOutError extends Error {
  override name = 'ExportTimedOutError';
}

/** The client went away before the last row. */
class ExportAbortedError extends Error {
  override name = 'ExportAbortedError';
}

const EXPORT_ACTION = 'customer.export';
/** SQLSTATE of a statement cancelled, here by the export's statement_timeout. */
const QUERY_CANCELED = '57014';

/**
 * The CSV export of a search. It runs in one read-only REPEATABLE READ transaction with a
 * statement timeout: the matching rows are counted first (over EXPORT_MAX_ROWS: refused before
 * any byte is sent), the export is audited with that count, then the same snapshot streams from a
 * server-side cursor. Whatever fails mid-stream (a row that cannot be decrypted, the database, the
 * client, the time box) ends that response and gives the connection back; never the process.
 */
@Injectable()
export class CustomerExportService {
  private readonly logger = new Logger(CustomerExportService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly search: SearchService,
    private readonly audit: AuditLogWriter,
    private readonly config: CustomerServiceConfig,
    private readonly calendar: BusinessCalendar,
  ) {}

  async exportCsv(user: AuthenticatedUser, filter: CustomerSearchFilterDto): Promise<Readable> {
    const statement = await this.search.exportStatement(user, filter);
    const max = this.config.EXPORT_MAX_ROWS;
    const client: PoolClient = await ((this.dataSource.driver as PostgresDriver).master as Pool).connect();
    let customerIds: string[];
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // SET takes no bind parameters; both values are validated integers.
      await client.query(
        `SET LOCAL statement_timeout = ${this.config.EXPORT_STATEMENT_TIMEOUT_SECONDS * 1000}`,
      );
      await client.query(
        `SET LOCAL idle_in_transaction_session_timeout = ${this.config.EXPORT_MAX_SECONDS * 1000}`,
      );
      const { rows } = await client.query<{ id: string }>(
        `SELECT e.id FROM (${statement.text} LIMIT ${max + 1}) AS e`,
        statement.values,
      );
      customerIds = rows.map((r) => r.id);
    } catch (error) {
      client.release(error as Error);
      if ((error as { code?: string }).code === QUERY_CANCELED) {
        this.logger.warn({
          msg: 'export query cancelled by its statement timeout',
          timeoutSeconds: this.config.EXPORT_STATEMENT_TIMEOUT_SECONDS,
        });
        throw new CustomerException(
          CustomerExceptionCode.ExportTimedOut,
          `The export's query ran past EXPORT_STATEMENT_TIMEOUT_SECONDS (${this.config.EXPORT_STATEMENT_TIMEOUT_SECONDS} s) ` +
            'and was cancelled; narrow the filter or try again later',
        );
      }
      throw error;
    }
    if (customerIds.length > max) {
      client.release(new Error('export refused'));
      await this.recordExport(user, filter, 'denied', { matchedAtLeast: max + 1, maxRows: max });
      throw new CustomerException(
        CustomerExceptionCode.ExportTooLarge,
        `The filter matches more than ${max} customers, the most one export may hold; narrow it`,
      );
    }
    try {
      await this.recordExport(user, filter, 'allowed', { rows: customerIds.length });
      await this.search.auditExactMatch(user, filter, customerIds, 'export');
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    return this.stream(client, statement.text, statement.values, customerIds.length);
  }

  private stream(client: PoolClient, text: string, values: unknown[], expected: number): Readable {
    const source = client.query(new QueryStream(text, values, { batchSize: 500 }));
    const today = this.calendar.today();
    // Stream events arrive outside the request's async context: keep it for the log line.
    const context = currentContext();
    let sent = 0;
    const csv = new Transform({
      writableObjectMode: true,
      transform: (row: SearchRow, _encoding, done) => {
        // A throw here would escape pipe()'s 'data' listener and end the process: pass it on instead.
        try {
          const item = this.search.presentRow(row, today);
          sent++;
          done(null, CSV_COLUMNS.map((c) => csvField(item[c])).join(',') + '\r\n');
        } catch (error) {
          done(error as Error);
        }
      },
    });
    csv.push(CSV_HEADER);

    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeBox);
      if (error) {
        source.destroy();
        // Released with an error, the connection is closed: the server rolls the transaction back.
        client.release(error);
        const log = () =>
          this.logger.warn({
            msg: 'export ended early',
            errorClass: error.name,
            rowsSent: sent,
            rowsExpected: expected,
          });
        if (context) runWithContext(context, log);
        else log();
        return;
      }
      client.query('COMMIT').then(
        () => client.release(),
        (commitError: Error) => client.release(commitError),
      );
    };
    const timeBox = setTimeout(
      () =>
        csv.destroy(new ExportTimedOutError(`export still running after ${this.config.EXPORT_MAX_SECONDS}s`)),
      this.config.EXPORT_MAX_SECONDS * 1000,
    );

    source.on('error', (error: Error) => {
      settle(error);
      csv.destroy(error);
    });
    source.on('end', () => settle());
    csv.on('error', (error: Error) => settle(error));
    csv.on('close', () => {
      if (!source.readableEnded) settle(new ExportAbortedError('export closed before its last row'));
    });
    return source.pipe(csv);
  }

  private recordExport(
    user: AuthenticatedUser,
    filter: CustomerSearchFilterDto,
    outcome: 'allowed' | 'denied',
    details: Record<string, unknown>,
  ): Promise<string> {
    return this.audit.record({
      actor: user,
      action: EXPORT_ACTION,
      resourceType: 'customer-search',
      outcome,
      details: { filter: auditableFilter(filter), ...details },
    });
  }
}
