import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendar, addDays } from '@crm/calendar';
import { ConsentChangedPayload, CustomerProfile, EventEnvelope } from '@crm/contracts';
import { AuditLogWriter, AuthenticatedUser, FieldCipher } from '@crm/security';
import { CustomerFactsRepository, HoldingKind } from './customer-facts.repository';
import { DoNotContactDto } from './do-not-contact.dto';
import { CustomerScope } from '../scope/customer-scope';

/** What campaign-service learns about customers from the stream, and what staff record here. */
@Injectable()
export class CustomerFactsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: CustomerFactsRepository,
    private readonly cipher: FieldCipher,
    private readonly calendar: BusinessCalendar,
    private readonly scope: CustomerScope,
    private readonly audit: AuditLogWriter,
  ) {}

  async consentChanged(tx: EntityManager, c: ConsentChangedPayload): Promise<void> {
    await this.facts.upsertConsent(tx, c);
  }

  /** Keeps the phone number as a keyed hash only: enough to cap contacts per number, useless if leaked. */
  async profileChanged(tx: EntityManager, profile: CustomerProfile, at: string): Promise<void> {
    await this.facts.upsertContactPoint(
      tx,
      profile.customerId,
      this.cipher.blindIndex(profile.phone, 'phone'),
      at,
    );
  }

  /**
   * A product the customer opened: held from now on, and a conversion for the campaigns that offered it.
   * Core banking replays existing products as openings when it first connects; those are holdings, not
   * conversions, so a product opened days before its event counts for no campaign.
   */
  async productOpened(
    tx: EntityManager,
    envelope: EventEnvelope<object>,
    opened: { customerId: string; productCode: string; openedOn: string; kind: HoldingKind },
  ): Promise<void> {
    const isReplay = opened.openedOn < addDays(this.calendar.dateOf(envelope.time), -1);
    await this.facts.recordProductOpened(tx, {
      customerId: opened.customerId,
      productCode: opened.productCode,
      kind: opened.kind,
      openedAt: isReplay ? new Date(this.calendar.startOf(opened.openedOn)).toISOString() : envelope.time,
      sourceEventId: envelope.id,
    });
  }

  /** Puts a customer on the bank's do-not-contact list: no campaign reaches them on any channel. */
  async setDoNotContact(user: AuthenticatedUser, customerId: string, dto: DoNotContactDto): Promise<void> {
    await this.scope.assertCovers(user, customerId);
    await this.dataSource.transaction(async (tx) => {
      await this.facts.setDoNotContact(tx, customerId, {
        reason: dto.reason,
        note: dto.note ?? null,
        setBy: user.userId,
      });
      await this.audit.record(
        {
          actor: user,
          action: 'customer.do-not-contact.set',
          resourceType: 'customer',
          resourceId: customerId,
          customerId,
          outcome: 'allowed',
          details: { reason: dto.reason },
        },
        tx,
      );
    });
  }

  async clearDoNotContact(user: AuthenticatedUser, customerId: string): Promise<void> {
    await this.scope.assertCovers(user, customerId);
    await this.dataSource.transaction(async (tx) => {
      await this.facts.clearDoNotContact(tx, customerId);
      await this.audit.record(
        {
          actor: user,
          action: 'customer.do-not-contact.clear',
          resourceType: 'customer',
          resourceId: customerId,
          customerId,
          outcome: 'allowed',
        },
        tx,
      );
    });
  }
}
