import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ContactRequestedPayload } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

@Injectable()
export class CampaignContactRepository {
  /** The contact id is campaign-service's idempotency key: the same contact again changes nothing. */
  async record(tx: EntityManager, c: ContactRequestedPayload, businessDate: string): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".campaign_contact (contact_id, campaign_id, customer_id, channel,
         product_codes, institution_id, manager_id, due_at, business_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (contact_id) DO NOTHING`,
      [
        c.contactId,
        c.campaignId,
        c.customerId,
        c.channel,
        c.productCodes,
        c.institutionId,
        c.managerId,
        c.dueAt,
        businessDate,
      ],
    );
  }
}
