import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CoverageChangedPayload,
  CustomerProfile,
  InstitutionUpsertedPayload,
  ManagerUpsertedPayload,
} from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

/** Customers, institutions and managers as they now are (a later or equal fact replaces), and coverage's history. */
@Injectable()
export class DimensionRepository {
  /** The profile without name, ID or phone number: what segments and indicators group by. */
  async upsertCustomer(
    tx: EntityManager,
    p: CustomerProfile,
    registeredOn: string | null,
    asOf: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".customer AS c (customer_id, kind, gender, birth_date, industry,
         region_code, home_institution_id, registered_on, profile_as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (customer_id) DO UPDATE SET kind = EXCLUDED.kind, gender = EXCLUDED.gender,
         birth_date = EXCLUDED.birth_date, industry = EXCLUDED.industry, region_code = EXCLUDED.region_code,
         home_institution_id = EXCLUDED.home_institution_id, profile_as_of = EXCLUDED.profile_as_of
       WHERE c.profile_as_of <= EXCLUDED.profile_as_of`,
      [
        p.customerId,
        p.kind,
        p.gender ?? null,
        p.birthDate ?? null,
        p.industry ?? null,
        p.regionCode,
        p.homeInstitutionId,
        registeredOn,
        asOf,
      ],
    );
    // Only a registration says when; an update (in any order) must not erase it.
    if (registeredOn)
      await tx.query(
        `UPDATE "${schemaOf(tx.connection)}".customer SET registered_on = $2 WHERE customer_id = $1`,
        [p.customerId, registeredOn],
      );
  }

  async upsertInstitution(tx: EntityManager, i: InstitutionUpsertedPayload, asOf: string): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".institution AS i
         (institution_id, parent_id, level, name, active, region_code, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (institution_id) DO UPDATE SET parent_id = EXCLUDED.parent_id, level = EXCLUDED.level,
         name = EXCLUDED.name, active = EXCLUDED.active, region_code = EXCLUDED.region_code, as_of = EXCLUDED.as_of
       WHERE i.as_of <= EXCLUDED.as_of`,
      [i.institutionId, i.parentId, i.level, i.name, i.active, i.regionCode, asOf],
    );
  }

  async upsertManager(tx: EntityManager, m: ManagerUpsertedPayload, asOf: string): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".manager AS m (manager_id, institution_id, roles, active, name, as_of)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (manager_id) DO UPDATE SET institution_id = EXCLUDED.institution_id, roles = EXCLUDED.roles,
         active = EXCLUDED.active, name = EXCLUDED.name, as_of = EXCLUDED.as_of
       WHERE m.as_of <= EXCLUDED.as_of`,
      [m.managerId, m.institutionId, m.roles, m.active, m.name, asOf],
    );
  }

  /** Every version is kept once, whatever order they arrive in. */
  async recordCoverageVersion(tx: EntityManager, c: CoverageChangedPayload): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".coverage_history (customer_id, version, primary_institution_id,
         primary_manager_id, private_banker_id, secondary, key_customer, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        c.customerId,
        c.version,
        c.primary?.institutionId ?? null,
        c.primary?.managerId ?? null,
        c.privateBankerId,
        JSON.stringify(c.secondary),
        c.keyCustomer,
        c.changedAt,
      ],
    );
  }
}
