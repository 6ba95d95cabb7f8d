import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerProfileChangedPayload } from '@crm/contracts';
import { PermanentEventError } from '@crm/messaging';
import { AnalyticProfileRepository } from './analytic-profile.repository';

/** analytics-service's profile of a customer (crm.analytics.profile): the latest business date is kept. */
@Injectable()
export class AnalyticProfileService {
  constructor(private readonly profiles: AnalyticProfileRepository) {}

  async profileChanged(tx: EntityManager, p: CustomerProfileChangedPayload): Promise<void> {
    const tags = p.tags.map((t) => t.tag);
    const repeated = tags.find((tag, i) => tags.indexOf(tag) !== i);
    // One score per tag: a profile naming a tag twice cannot say which one holds.
    if (repeated) throw new PermanentEventError(`tag ${repeated} appears more than once`);
    await this.profiles.upsertIfNewer(tx, p);
  }
}
