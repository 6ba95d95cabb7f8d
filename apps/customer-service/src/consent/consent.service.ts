import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsentChangedPayload, ConsentChannel, EventTypes, Topics } from '@crm/contracts';
import { OutboxWriter } from '@crm/messaging';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { CustomerService } from '../customers/customer.service';
import { ConsentHistoryEntryDto, SetConsentDto } from './consent.dto';
import { ConsentRepository } from './consent.repository';

/**
 * Marketing consent and opt-outs per channel, with their history; every change audited and published
 * (crm.customer, through the outbox) in the transaction that records it.
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomerService,
    private readonly consent: ConsentRepository,
    private readonly audit: AuditLogWriter,
    private readonly outbox: OutboxWriter,
  ) {}

  async setConsent(
    user: AuthenticatedUser,
    customerId: string,
    channel: ConsentChannel,
    dto: SetConsentDto,
  ): Promise<void> {
    await this.customers.requireInScope(user, customerId);
    await this.dataSource.transaction(async (manager) => {
      const changedAt = await this.consent.set(manager, { customerId, channel, ...dto, userId: user.userId });
      await this.audit.record(
        {
          actor: user,
          action: 'customer.consent.change',
          resourceType: 'customer',
          resourceId: customerId,
          customerId,
          outcome: 'allowed',
          details: { channel, status: dto.status, source: dto.source },
        },
        manager,
      );
      await this.outbox.add<ConsentChangedPayload>(manager, {
        topic: Topics.CrmCustomer,
        type: EventTypes.ConsentChanged,
        subject: customerId,
        data: {
          customerId,
          channel,
          status: dto.status,
          source: dto.source,
          changedAt: changedAt.toISOString(),
        },
        time: changedAt,
      });
    });
  }

  async consentHistory(user: AuthenticatedUser, customerId: string): Promise<ConsentHistoryEntryDto[]> {
    await this.customers.requireInScope(user, customerId);
    const rows = await this.consent.history(this.dataSource.manager, customerId);
    return rows.map((r) => ({
      channel: r.channel,
      status: r.status,
      changedAt: r.changed_at.toISOString(),
      changedBy: r.changed_by,
      source: r.source,
      note: r.note,
    }));
  }
}
