import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, scopePredicate } from '@crm/security';
import { wholeCustomerScopeColumns } from '../scope/customer-scope';
import { ProfileRow, StoredProfile, profileSelect, toStoredProfile } from './profile-snapshot.repository';

export interface TierChange {
  businessDate: string;
  fromTier: string | null;
  toTier: string | null;
}

/** Reads of customers' profiles and tier history, each in the caller's data scope. */
@Injectable()
export class ProfileRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ofCustomer(
    scope: DataScope,
    customerId: string,
    businessDate: string,
  ): Promise<StoredProfile | null> {
    const s = schemaOf(this.dataSource);
    const p = new SqlParams();
    const profile = profileSelect(s);
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT ${profile.columns} FROM "${s}".customer_profile p ${profile.joins}
        WHERE p.business_date = ${p.add(businessDate)}::date AND p.customer_id = ${p.add(customerId)}
          AND ${scopePredicate(scope, wholeCustomerScopeColumns(s, 'p.customer_id'), p)}`,
      p.values,
    );
    return rows.length === 0 ? null : toStoredProfile(rows[0]);
  }

  /** Every change of the customer's tier, newest first; null when the customer is outside the scope. */
  async tierChanges(scope: DataScope, customerId: string): Promise<TierChange[] | null> {
    const s = schemaOf(this.dataSource);
    const p = new SqlParams();
    const rows: TierChange[] = await this.dataSource.query(
      `SELECT t.business_date::text AS "businessDate", t.from_tier AS "fromTier", t.to_tier AS "toTier"
         FROM "${s}".customer c
         JOIN "${s}".value_tier_change t ON t.customer_id = c.customer_id
        WHERE c.customer_id = ${p.add(customerId)}
          AND ${scopePredicate(scope, wholeCustomerScopeColumns(s, 'c.customer_id'), p)}
        ORDER BY t.business_date DESC`,
      p.values,
    );
    if (rows.length > 0) return rows;
    const known = new SqlParams();
    const inScope: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM "${s}".customer c WHERE c.customer_id = ${known.add(customerId)}
          AND ${scopePredicate(scope, wholeCustomerScopeColumns(s, 'c.customer_id'), known)}`,
      known.values,
    );
    return inScope.length > 0 ? [] : null;
  }
}
