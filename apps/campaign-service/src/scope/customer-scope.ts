import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import {
  AuthenticatedUser,
  DataScopeResolver,
  coverageProjectionScopeColumns,
  scopePredicate,
} from '@crm/security';
import { CampaignException, CampaignExceptionCode } from '../common/campaign.exception';

/** Acts on one customer (do-not-contact, responses) need the customer inside the caller's scope. */
@Injectable()
export class CustomerScope {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: DataScopeResolver,
  ) {}

  /** A 404 for a customer outside the scope, as for one that does not exist: no probing for ids. */
  async assertCovers(user: AuthenticatedUser, customerId: string): Promise<void> {
    const scope = await this.scopes.resolve(user);
    const s = schemaOf(this.dataSource);
    const params = new SqlParams();
    const id = params.add(customerId);
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM "${s}".coverage c WHERE c.customer_id = ${id}
          AND ${scopePredicate(scope, coverageProjectionScopeColumns(s, 'c.customer_id'), params)}`,
      params.values,
    );
    if (rows.length === 0)
      throw new CampaignException(
        CampaignExceptionCode.CustomerNotFound,
        `No customer ${customerId} in your data scope`,
      );
  }
}
