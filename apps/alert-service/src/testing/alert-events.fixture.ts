import { randomUUID } from 'node:crypto';
import { EventType, EventTypes, InstitutionLevel } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { until } from '@crm/testing';

/** An entry of a customer's coverage: who at which institution, and why. */
export interface CoverageEntry {
  institutionId: string;
  managerId: string | null;
  reason: string;
  basis: string;
}

/** An entry the coverage rules made (not a head's manual assignment). */
export const automatic = (
  institutionId: string,
  managerId: string | null,
  reason = 'largest-deposit',
): CoverageEntry => ({ institutionId, managerId, reason, basis: 'automatic' });

/**
 * The events alert-service's tests tell their stories with, published through the harness (times
 * from its clock), and a wait until the service has applied every one of them.
 */
export class AlertEventFeed {
  private readonly published = new Set<string>();

  constructor(private readonly harness: ServiceHarness) {}

  async publish(type: EventType, subject: string, data: object): Promise<void> {
    const envelope = this.harness.clock.envelope(type, subject, data);
    this.published.add(envelope.id);
    await this.harness.publish(envelope);
  }

  /** Resolves once the service has applied every event published so far (each leaves a processed_event row). */
  drained(): Promise<number> {
    return until(
      () => this.harness.processedCount(),
      (n) => n >= this.published.size,
    );
  }

  institution(institutionId: string, parentId: string | null, level: InstitutionLevel): Promise<void> {
    return this.publish(EventTypes.InstitutionUpserted, institutionId, {
      institutionId,
      name: institutionId,
      level,
      parentId,
      regionCode: '330106',
      active: true,
    });
  }

  institutionHead(managerId: string, institutionId: string): Promise<void> {
    return this.publish(EventTypes.ManagerUpserted, managerId, {
      managerId,
      name: '王芳',
      institutionId,
      roles: ['institution-head'],
      active: true,
    });
  }

  coverage(
    customerId: string,
    primary: CoverageEntry,
    secondary: CoverageEntry[] = [],
    privateBankerId: string | null = null,
  ): Promise<void> {
    return this.publish(EventTypes.CoverageChanged, customerId, {
      customerId,
      version: 1,
      primary,
      secondary,
      keyCustomer: false,
      privateBankerId,
      changedAt: new Date(this.harness.clock.now).toISOString(),
      changedBy: 'system',
      note: 'test coverage',
    });
  }

  /** A credit booked now (by the clock) to the customer's account `<account>-<customerId>`. */
  credit(customerId: string, institutionId: string, amount: string, account = 'A'): Promise<void> {
    const bookedAt = new Date(this.harness.clock.now);
    return this.publish(EventTypes.TransactionPosted, customerId, {
      transactionId: randomUUID(),
      accountId: `${account}-${customerId}`,
      customerId,
      institutionId,
      creditDebitIndicator: 'CRDT',
      amount: { amount, currency: 'CNY' },
      bookingDate: bookedAt.toISOString(),
      valueDate: bookedAt.toISOString().slice(0, 10),
      bankTransactionCode: 'PMNT-RCDT-DMCT',
      channel: 'online',
      balanceAfter: { amount, currency: 'CNY' },
    });
  }
}
