import { Injectable } from '@nestjs/common';
import { PoolClient, Pool } from 'pg';
import QueryStream from 'pg-query-stream';
import { Readable, Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { BusinessCalendar, ageOn } from '@crm/calendar';
import { KeysetCursor } from '@crm/http';
import { Money, formatAmount, schemaOf } from '@crm/persistence';
import {
  AuthenticatedUser,
  DataScope,
  DataScopeResolver,
  FieldCipher,
  maskIdNumber,
  maskPhone,
} from '@crm/security';
import { CustomerSearchFilterDto } from './search-filter.dto';
import { SearchRow, buildSearchQuery } from './search-query.builder';
import { CustomerSearchItemDto, CustomerSearchPageDto } from './search-result.dto';

const SEARCH_CURSOR = new KeysetCursor('customer-search', ['key'] as const);

export const DEFAULT_PAGE_SIZE = 50;

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

/** One CSV field: quoted when needed, and a leading formula character neutralised for spreadsheets. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

@Injectable()
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: DataScopeResolver,
    private readonly cipher: FieldCipher,
    private readonly calendar: BusinessCalendar,
  ) {}

  async search(
    user: AuthenticatedUser,
    filter: CustomerSearchFilterDto,
    pageSize = DEFAULT_PAGE_SIZE,
    cursor?: string,
  ): Promise<CustomerSearchPageDto> {
    const after = cursor === undefined ? undefined : SEARCH_CURSOR.decode(cursor)[0];
    const scope = await this.scopes.resolve(user);
    const statement = this.statement(filter, scope, { limit: pageSize, afterCustomerId: after });
    const rows = (await this.dataSource.query(statement.text, statement.values)) as SearchRow[];
    const page = rows.slice(0, pageSize);
    const today = this.calendar.today();
    return {
      items: page.map((row) => this.item(row, today)),
      nextCursor: rows.length > pageSize ? SEARCH_CURSOR.encode([page[page.length - 1].id]) : null,
    };
  }

  /**
   * The whole result as CSV, streamed from a server-side cursor (pg-query-stream): rows flow to
   * the response as it drains, never all in memory. ID and phone numbers are masked.
   */
  async exportCsv(user: AuthenticatedUser, filter: CustomerSearchFilterDto): Promise<Readable> {
    const scope = await this.scopes.resolve(user);
    const statement = this.statement(filter, scope);
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const client: PoolClient = await pool.connect();
    const rows = client.query(new QueryStream(statement.text, statement.values, { batchSize: 500 }));
    const today = this.calendar.today();
    let headerWritten = false;
    const toCsv = new Transform({
      writableObjectMode: true,
      transform: (row: SearchRow, _encoding, done) => {
        const header = headerWritten ? '' : `${CSV_COLUMNS.join(',')}\r\n`;
        headerWritten = true;
        const item = this.item(row, today);
        done(null, header + CSV_COLUMNS.map((c) => csvField(item[c])).join(',') + '\r\n');
      },
      flush: (done) => done(null, headerWritten ? '' : `${CSV_COLUMNS.join(',')}\r\n`),
    });
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      client.release(error);
    };
    rows.on('error', (error) => {
      release(error);
      toCsv.destroy(error);
    });
    rows.on('end', () => release());
    toCsv.on('close', () => {
      // The response was closed early: stop reading and give the connection back.
      if (!released) {
        rows.destroy();
        release(new Error('export aborted'));
      }
    });
    return rows.pipe(toCsv);
  }

  private statement(
    filter: CustomerSearchFilterDto,
    scope: DataScope,
    page?: { limit: number; afterCustomerId?: string },
  ) {
    return buildSearchQuery(
      schemaOf(this.dataSource),
      filter,
      scope,
      (value, kind) => this.cipher.blindIndex(value, kind),
      this.calendar.today(),
      page,
    );
  }

  private item(row: SearchRow, today: string): CustomerSearchItemDto {
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      gender: row.gender,
      age: row.birth_date ? ageOn(row.birth_date, today) : null,
      regionCode: row.region_code,
      idNumber: row.id_number_enc ? maskIdNumber(this.cipher.decrypt(row.id_number_enc)) : null,
      phone: maskPhone(this.cipher.decrypt(row.phone_enc)),
      valueTier: row.value_tier,
      lifecycleStage: row.lifecycle_stage,
      primaryInstitutionId: row.primary_institution_id,
      primaryManagerId: row.primary_manager_id,
      keyCustomer: row.key_customer,
      aum: formatAmount(new Money(row.deposits).plus(row.wealth)),
      deposits: formatAmount(row.deposits),
      loans: formatAmount(row.loans),
      cards: formatAmount(row.cards),
      lastTransactionAt: row.last_transaction_at ? new Date(row.last_transaction_at).toISOString() : null,
    };
  }
}
