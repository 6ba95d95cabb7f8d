import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendar, ageOn } from '@crm/calendar';
import { KeysetCursor } from '@crm/http';
import { Money, formatAmount, schemaOf } from '@crm/persistence';
import {
  AuditLogWriter,
  AuthenticatedUser,
  DataScope,
  DataScopeResolver,
  FieldCipher,
  Permission,
  hasPermission,
  maskIdNumber,
  maskPhone,
} from '@crm/security';
import { CustomerException, CustomerExceptionCode } from '../common/customer.exception';
import { CustomerSearchFilterDto } from './search-filter.dto';
import {
  SearchColumns,
  SearchIdRow,
  SearchRow,
  SqlStatement,
  buildSearchQuery,
} from './search-query.builder';
import { CustomerSearchItemDto, CustomerSearchPageDto } from './search-result.dto';

const SEARCH_CURSOR = new KeysetCursor('customer-search', ['key'] as const);

export const DEFAULT_PAGE_SIZE = 50;

/** Filters that find a customer by a personal identifier: as revealing as the identifier itself. */
export const EXACT_MATCH_FIELDS = ['idNumber', 'phone'] as const;
export type ExactMatchField = (typeof EXACT_MATCH_FIELDS)[number];

/** Where a search ran, for its audit record. */
export type SearchChannel = 'rest' | 'grpc' | 'export';

export const exactMatchFieldsOf = (filter: CustomerSearchFilterDto): ExactMatchField[] =>
  EXACT_MATCH_FIELDS.filter((field) => filter[field] !== undefined && filter[field] !== null);

/**
 * The filter as an audit record may hold it: exact-match values are personal data, so only
 * the names of those fields are kept.
 */
export function auditableFilter(filter: CustomerSearchFilterDto): Record<string, unknown> {
  const { idNumber: _idNumber, phone: _phone, ...rest } = filter;
  const exact = exactMatchFieldsOf(filter);
  return { ...rest, ...(exact.length ? { exactMatchOn: exact } : {}) };
}

@Injectable()
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: DataScopeResolver,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditLogWriter,
    private readonly calendar: BusinessCalendar,
  ) {}

  async search(
    user: AuthenticatedUser,
    filter: CustomerSearchFilterDto,
    pageSize = DEFAULT_PAGE_SIZE,
    cursor?: string,
    channel: SearchChannel = 'rest',
  ): Promise<CustomerSearchPageDto> {
    this.requireExactMatchPermission(user, filter);
    const after = cursor === undefined ? undefined : SEARCH_CURSOR.decode(cursor)[0];
    const scope = await this.scopes.resolve(user);
    const statement = this.statement(filter, scope, { limit: pageSize, afterCustomerId: after });
    const rows = (await this.dataSource.query(statement.text, statement.values)) as SearchRow[];
    const page = rows.slice(0, pageSize);
    const today = this.calendar.today();
    const items = page.map((row) => this.presentRow(row, today));
    await this.auditExactMatch(
      user,
      filter,
      items.map((item) => item.id),
      channel,
    );
    return {
      items,
      nextCursor: rows.length > pageSize ? SEARCH_CURSOR.encode([page[page.length - 1].id]) : null,
    };
  }

  /**
   * Every customer the filter matches, in batches of `batchSize` in id order. Each batch is one short
   * keyset query and no connection is held between batches, so a stream of any length costs one batch
   * of memory, and a consumer that stops asking stops the search. `scopeInstitutionId`: a bank system
   * searching in that institution's subtree (the campaign owner's scope) rather than its own.
   */
  async *streamIds(
    user: AuthenticatedUser,
    filter: CustomerSearchFilterDto,
    options: { batchSize: number; scopeInstitutionId?: string },
  ): AsyncGenerator<SearchIdRow[]> {
    this.requireExactMatchPermission(user, filter);
    const { batchSize, scopeInstitutionId } = options;
    const scope =
      scopeInstitutionId === undefined
        ? await this.scopes.resolve(user)
        : await this.scopes.resolveForInstitution(user, scopeInstitutionId);
    let found = 0;
    let after: string | undefined;
    for (;;) {
      const page = { limit: batchSize, afterCustomerId: after };
      const statement = this.statement(filter, scope, page, 'ids');
      const rows = (await this.dataSource.query(statement.text, statement.values)) as SearchIdRow[];
      const batch = rows.slice(0, batchSize);
      if (batch.length === 0) break;
      found += batch.length;
      await this.auditExactMatch(
        user,
        filter,
        batch.map((row) => row.id),
        'grpc',
      );
      yield batch;
      if (rows.length <= batchSize) break;
      after = batch[batch.length - 1].id;
    }
    if (found === 0) await this.auditExactMatch(user, filter, [], 'grpc');
  }

  /** The statement of a whole search (no page), for the export; checks the exact-match permission first. */
  async exportStatement(user: AuthenticatedUser, filter: CustomerSearchFilterDto): Promise<SqlStatement> {
    this.requireExactMatchPermission(user, filter);
    return this.statement(filter, await this.scopes.resolve(user));
  }

  /**
   * Finding a customer by ID or phone number confirms that number: without `pii:read` a caller
   * could recover a masked number by trying the hidden digits.
   */
  requireExactMatchPermission(user: AuthenticatedUser, filter: CustomerSearchFilterDto): void {
    const exact = exactMatchFieldsOf(filter);
    if (exact.length > 0 && !hasPermission(user, Permission.PiiRead)) {
      throw new CustomerException(
        CustomerExceptionCode.PiiReadRequired,
        `Searching by ${exact.join(' or ')} needs the ${Permission.PiiRead} permission`,
      );
    }
  }

  /**
   * An exact-match search is audited like a reveal: one record per customer it found, or one
   * naming no customer when it found none (probing leaves a trace too).
   */
  async auditExactMatch(
    user: AuthenticatedUser,
    filter: CustomerSearchFilterDto,
    customerIds: readonly string[],
    channel: SearchChannel,
    manager?: EntityManager,
  ): Promise<void> {
    const fields = exactMatchFieldsOf(filter);
    if (fields.length === 0) return;
    const targets = customerIds.length > 0 ? customerIds : [null];
    for (const customerId of targets) {
      await this.audit.record(
        {
          actor: user,
          action: 'customer.pii.search',
          resourceType: 'customer',
          resourceId: customerId,
          customerId,
          outcome: 'allowed',
          details: { fields, channel, matches: customerIds.length },
        },
        manager,
      );
    }
  }

  private statement(
    filter: CustomerSearchFilterDto,
    scope: DataScope,
    page?: { limit: number; afterCustomerId?: string },
    columns?: SearchColumns,
  ) {
    return buildSearchQuery(
      schemaOf(this.dataSource),
      filter,
      scope,
      (value, kind) => this.cipher.blindIndex(value, kind),
      this.calendar.today(),
      page,
      columns,
    );
  }

  /** One search row as the API shows it: ID and phone numbers always masked. */
  presentRow(row: SearchRow, today: string): CustomerSearchItemDto {
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
