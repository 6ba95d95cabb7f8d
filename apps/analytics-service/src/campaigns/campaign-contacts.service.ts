import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { ContactRequestedPayload } from '@crm/contracts';
import { CampaignContactRepository } from './campaign-contact.repository';

/** Records a contact under the business date it was due on (the bank's calendar). */
@Injectable()
export class CampaignContactsService {
  constructor(
    private readonly contacts: CampaignContactRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  requested(tx: EntityManager, c: ContactRequestedPayload): Promise<void> {
    return this.contacts.record(tx, c, this.calendar.dateOf(c.dueAt));
  }
}
