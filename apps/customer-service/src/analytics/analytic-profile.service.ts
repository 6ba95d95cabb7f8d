import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CustomerProfileChangedPayload } from '@crm/contracts';
import { PermanentEventError } from '@crm/messaging';
import { lockCustomerProfile } from '../common/customer-profile.lock';
import { AnalyticProfileRepository } from './analytic-profile.repository';

/**
 * analytics-service's profile of a customer (crm.analytics.profile) into the customer master: the value
 * tier and lifecycle stage onto the customer (search), the potential tags as analytic tags (search by tag,
 * the 360 view's tags), the whole profile for the 360 view's analytics section. The latest business date
 * wins; an older profile arriving late changes nothing.
 */
@Injectable()
export class AnalyticProfileService {
  constructor(private readonly profiles: AnalyticProfileRepository) {}

  async profileChanged(tx: EntityManager, p: CustomerProfileChangedPayload): Promise<void> {
    const tags = p.tags.map((t) => t.tag);
    const repeated = tags.find((tag, i) => tags.indexOf(tag) !== i);
    // One score per tag: a profile naming a tag twice cannot say which one holds.
    if (repeated) throw new PermanentEventError(`tag ${repeated} appears more than once`);
    await lockCustomerProfile(tx, p.customerId);
    if (!(await this.profiles.upsertIfNewer(tx, p))) return;
    await this.profiles.copyToCustomer(tx, p);
    await this.profiles.replaceTags(tx, p);
  }
}
