import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from '@crm/persistence';

/** The bank-level parameters (the N of the domain rules); money as decimal strings. */
export interface BankParameters {
  keyCustomerAssetThreshold: string;
  keyCustomerLoanThreshold: string;
  keyCustomerCleanYears: number;
  visitDutyLoanThreshold: string;
  visitDutyMinVisitsPerMonth: number;
}

export interface BankParametersVersion extends BankParameters {
  version: number;
  updatedAt: string;
  updatedBy: string;
  reason: string;
}

const COLUMNS = `key_customer_asset_threshold::text AS "keyCustomerAssetThreshold",
  key_customer_loan_threshold::text AS "keyCustomerLoanThreshold",
  key_customer_clean_years AS "keyCustomerCleanYears",
  visit_duty_loan_threshold::text AS "visitDutyLoanThreshold",
  visit_duty_min_visits_per_month AS "visitDutyMinVisitsPerMonth",
  version, to_json(updated_at)#>>'{}' AS "updatedAt", updated_by AS "updatedBy", reason`;

@Injectable()
export class ParametersRepository {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = schemaOf(dataSource);
  }

  async current(
    tx: EntityManager = this.dataSource.manager,
    forUpdate = false,
  ): Promise<BankParametersVersion> {
    const rows: BankParametersVersion[] = await tx.query(
      `SELECT ${COLUMNS} FROM "${this.s}".bank_parameters WHERE id = 1${forUpdate ? ' FOR UPDATE' : ''}`,
    );
    return rows[0];
  }

  async update(tx: EntityManager, next: BankParametersVersion): Promise<void> {
    const values = [
      next.keyCustomerAssetThreshold,
      next.keyCustomerLoanThreshold,
      next.keyCustomerCleanYears,
      next.visitDutyLoanThreshold,
      next.visitDutyMinVisitsPerMonth,
      next.version,
      next.updatedBy,
      next.reason,
    ];
    await tx.query(
      `UPDATE "${this.s}".bank_parameters SET key_customer_asset_threshold = $1, key_customer_loan_threshold = $2,
         key_customer_clean_years = $3, visit_duty_loan_threshold = $4, visit_duty_min_visits_per_month = $5,
         version = $6, updated_at = now(), updated_by = $7, reason = $8
       WHERE id = 1`,
      values,
    );
    await tx.query(
      `INSERT INTO "${this.s}".bank_parameters_history
       SELECT version, key_customer_asset_threshold, key_customer_loan_threshold, key_customer_clean_years,
              visit_duty_loan_threshold, visit_duty_min_visits_per_month, updated_at, updated_by, reason
       FROM "${this.s}".bank_parameters WHERE id = 1`,
    );
  }

  /** Newest first. */
  async history(limit: number, beforeVersion: number | null): Promise<BankParametersVersion[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM "${this.s}".bank_parameters_history
       WHERE ($2::int IS NULL OR version < $2) ORDER BY version DESC LIMIT $1`,
      [limit + 1, beforeVersion],
    );
  }
}
