import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CoverageChangedPayload,
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
  InstitutionUpsertedPayload,
  ManagerUpsertedPayload,
} from '@crm/contracts';
import { CoverageProjectionRepository } from '@crm/security';
import { DimensionRepository } from './dimension.repository';

/**
 * The warehouse's dimensions: customers (corebank.customer), institutions and managers
 * (corebank.organisation), coverage now (what data scope reads) and in every version (crm.assignment).
 * `eventTime` orders the facts of one customer, institution or manager.
 */
@Injectable()
export class DimensionsService {
  constructor(
    private readonly dimensions: DimensionRepository,
    private readonly coverage: CoverageProjectionRepository,
  ) {}

  customerRegistered(tx: EntityManager, p: CustomerRegisteredPayload, eventTime: string): Promise<void> {
    return this.dimensions.upsertCustomer(tx, p, p.registeredOn, eventTime);
  }

  customerUpdated(tx: EntityManager, p: CustomerUpdatedPayload, eventTime: string): Promise<void> {
    return this.dimensions.upsertCustomer(tx, p, null, eventTime);
  }

  institutionUpserted(tx: EntityManager, p: InstitutionUpsertedPayload, eventTime: string): Promise<void> {
    return this.dimensions.upsertInstitution(tx, p, eventTime);
  }

  managerUpserted(tx: EntityManager, p: ManagerUpsertedPayload, eventTime: string): Promise<void> {
    return this.dimensions.upsertManager(tx, p, eventTime);
  }

  /** The highest version is the coverage now (an older one arriving late changes nothing); each is history. */
  async coverageChanged(tx: EntityManager, p: CoverageChangedPayload): Promise<void> {
    await this.coverage.upsertCoverage(tx, p);
    await this.dimensions.recordCoverageVersion(tx, p);
  }
}
