import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CoverageChangedPayload, InstitutionUpsertedPayload, ManagerUpsertedPayload } from '@crm/contracts';
import { CoverageProjectionRepository } from '@crm/security';
import type { CustomerCoverage } from '@crm/security';
import { AlertRepository } from '../alerts/alert.repository';
import { RoutedTo, routeAlert } from './alert-routing';

/**
 * Keeps the projections routing and data scope need (coverage, institutions, managers) from
 * crm.assignment and corebank.organisation. Applies a customer's new coverage. Alerts raised before coverage named a manager wait in the
 * head's queue; once a manager is named, the open ones move to that manager in the same
 * transaction. Acknowledged alerts stay with whoever took them.
 */
@Injectable()
export class CoverageChangeService {
  constructor(
    private readonly coverage: CoverageProjectionRepository,
    private readonly alerts: AlertRepository,
  ) {}

  async apply(tx: EntityManager, payload: CoverageChangedPayload): Promise<void> {
    if (!(await this.coverage.upsertCoverage(tx, payload))) return;
    const coverage: CustomerCoverage = {
      primaryInstitutionId: payload.primary?.institutionId ?? null,
      primaryManagerId: payload.primary?.managerId ?? null,
      privateBankerId: payload.privateBankerId,
      secondary: payload.secondary.map((s) => ({ institutionId: s.institutionId, managerId: s.managerId })),
    };
    if (!coverage.primaryManagerId) return;
    for (const alert of await this.alerts.openInHeadQueue(tx, payload.customerId)) {
      // Routed without a manager, the alert's institution is where the fact happened, or that is its secondary.
      const eventInstitutionId = alert.secondary_institution_id ?? alert.institution_id;
      const route = routeAlert(coverage, eventInstitutionId, null);
      if (route.routedTo === RoutedTo.PrimaryManager) await this.alerts.reroute(tx, alert.id, route);
    }
  }

  async institutionUpserted(tx: EntityManager, payload: InstitutionUpsertedPayload): Promise<void> {
    await this.coverage.upsertInstitution(tx, payload);
  }

  async managerUpserted(tx: EntityManager, payload: ManagerUpsertedPayload): Promise<void> {
    await this.coverage.upsertManager(tx, payload);
  }
}
