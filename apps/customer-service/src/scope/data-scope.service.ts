import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import { AuthenticatedUser, DataScope, DataScopeError, resolveDataScope } from '@crm/security';
import { CustomerException, CustomerExceptionCode } from '../shared/customer.exception';

/** The caller's data scope, from the institution tree this service keeps from corebank.organisation. */
@Injectable()
export class DataScopeService {
  constructor(private readonly dataSource: DataSource) {}

  async scopeOf(user: AuthenticatedUser): Promise<DataScope> {
    try {
      return await resolveDataScope(user, (institutionId) => this.subtreeOf(institutionId));
    } catch (error) {
      if (!(error instanceof DataScopeError)) throw error;
      throw new CustomerException(CustomerExceptionCode.NoDataScope, error.message);
    }
  }

  async subtreeOf(institutionId: string): Promise<string[]> {
    const s = schemaOf(this.dataSource);
    const rows = (await this.dataSource.query(
      `WITH RECURSIVE subtree(id) AS (
         SELECT id FROM "${s}".institution WHERE id = $1
         UNION SELECT i.id FROM "${s}".institution i JOIN subtree ON i.parent_id = subtree.id)
       SELECT id FROM subtree ORDER BY id`,
      [institutionId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
