import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChannelListener, schemaOf, tableChangeListener } from '@crm/persistence';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { DataScope, institutionScopeOf, resolveDataScope, resolveScopeOfInstitution } from './data-scope';
import { InstitutionEdge, InstitutionTreeCache } from './institution-tree';

/** Where a service keeps its copy of the institution tree (from corebank.organisation). */
export interface InstitutionTableOptions {
  table: string;
  idColumn: string;
  parentColumn: string;
}

export const INSTITUTION_TABLE = Symbol('INSTITUTION_TABLE');

/**
 * Resolves callers' data scopes against the service's institution tree, held in memory: a branch
 * head's subtree costs no query. The tree is dropped whenever the institution table changes (its
 * change trigger notifies every instance on commit) and reloaded on the next request.
 */
@Injectable()
export class DataScopeResolver implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DataScopeResolver.name);
  private readonly cache: InstitutionTreeCache;
  private readonly listener: ChannelListener;

  constructor(dataSource: DataSource, @Inject(INSTITUTION_TABLE) options: InstitutionTableOptions) {
    const { table, idColumn, parentColumn } = options;
    const sql = `SELECT ${idColumn} AS id, ${parentColumn} AS "parentId" FROM "${schemaOf(dataSource)}".${table}`;
    this.cache = new InstitutionTreeCache(() => dataSource.query<InstitutionEdge[]>(sql));
    this.listener = tableChangeListener(
      dataSource,
      table,
      () => this.cache.invalidate(),
      (error) => this.logger.warn(`institution change listener reconnecting: ${error.message}`),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.close();
  }

  resolve(user: AuthenticatedUser): Promise<DataScope> {
    return resolveDataScope(user, (institutionId) => this.cache.subtreeOf(institutionId));
  }

  /** The customers the institution's subtree covers; a 403 (OUTSIDE_DATA_SCOPE) for an unknown institution. */
  async scopeOfInstitution(institutionId: string): Promise<DataScope> {
    return institutionScopeOf(institutionId, await this.cache.subtreeOf(institutionId));
  }

  /** The institution's ancestors from head office down, then the institution; empty when unknown. */
  pathTo(institutionId: string): Promise<readonly string[]> {
    return this.cache.pathTo(institutionId);
  }

  /** The subtree of `institutionId`, for a system caller acting for it (resolveScopeOfInstitution). */
  resolveForInstitution(user: AuthenticatedUser, institutionId: string): Promise<DataScope> {
    return resolveScopeOfInstitution(user, institutionId, (id) => this.cache.subtreeOf(id));
  }

  /** The institution and its descendants; empty when unknown. */
  subtreeOf(institutionId: string): Promise<readonly string[]> {
    return this.cache.subtreeOf(institutionId);
  }
}
