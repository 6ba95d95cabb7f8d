import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventTypes, InstitutionLevel } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { calendar } from './rule-fixtures';

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

/** The events alert-service's tests tell their stories with, published through the harness (times from its clock). */
export class AlertEventFeed {
  constructor(private readonly harness: ServiceHarness) {}

  institution(
    institutionId: string,
    parentId: string | null,
    level: InstitutionLevel,
  ): Promise<EventEnvelope<object>> {
    return this.harness.publishEvent(EventTypes.InstitutionUpserted, institutionId, {
      institutionId,
      name: institutionId,
      level,
      parentId,
      regionCode: '330106',
      active: true,
    });
  }

  /** A head office, its branch and the branch's two outlets: the institution tree most alert stories need. */
  async branchWithTwoOutlets(ids: { HO: string; BR: string; OUT1: string; OUT2: string }): Promise<void> {
    await this.institution(ids.HO, null, 'head-office');
    await this.institution(ids.BR, ids.HO, 'branch');
    await this.institution(ids.OUT1, ids.BR, 'outlet');
    await this.institution(ids.OUT2, ids.BR, 'outlet');
  }

  institutionHead(managerId: string, institutionId: string): Promise<EventEnvelope<object>> {
    return this.harness.publishEvent(EventTypes.ManagerUpserted, managerId, {
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
  ): Promise<EventEnvelope<object>> {
    return this.harness.publishEvent(EventTypes.CoverageChanged, customerId, {
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
  credit(
    customerId: string,
    institutionId: string,
    amount: string,
    account = 'A',
  ): Promise<EventEnvelope<object>> {
    const bookedAt = new Date(this.harness.clock.now);
    return this.harness.publishEvent(EventTypes.TransactionPosted, customerId, {
      transactionId: randomUUID(),
      accountId: `${account}-${customerId}`,
      customerId,
      institutionId,
      creditDebitIndicator: 'CRDT',
      amount: { amount, currency: 'CNY' },
      bookingDate: bookedAt.toISOString(),
      valueDate: calendar.dateOf(bookedAt),
      bankTransactionCode: 'PMNT-RCDT-DMCT',
      channel: 'online',
      balanceAfter: { amount, currency: 'CNY' },
    });
  }
}
