import { Injectable } from '@nestjs/common';
import { BusinessCalendar } from '@crm/calendar';
import {
  AuditLogWriter,
  AuthenticatedUser,
  DataScope,
  DataScopeResolver,
  FieldCipher,
  PiiPresenter,
  holdingsVisibility,
} from '@crm/security';
import { customerNotFound } from '../common/customer.exception';
import { Customer360Dto, CustomerProfileDto } from './customer-360.dto';
import { present360, presentProfile } from './customer-360.presenter';
import { CustomerRecord, CustomerRepository } from './customer.repository';

/** How far back the 360 view's transaction summary looks. */
export const RECENT_TRANSACTION_DAYS = 90;

@Injectable()
export class CustomerService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly scopes: DataScopeResolver,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditLogWriter,
    private readonly calendar: BusinessCalendar,
  ) {}

  async view360(user: AuthenticatedUser, customerId: string): Promise<Customer360Dto> {
    const scope = await this.scopes.resolve(user);
    const found = await this.customers.view360(customerId, scope, RECENT_TRANSACTION_DAYS);
    if (!found) throw customerNotFound(customerId);
    const { record, holdings, tags, consent, analytics } = found;
    const visibility = holdingsVisibility(scope, record.coverage);
    // In scope means covered by the caller's side, so some holdings are visible; 'none' cannot pass the scope predicate.
    if (visibility.kind === 'none') throw customerNotFound(customerId);
    const presenter = new PiiPresenter(user);
    const view = present360({
      record,
      pii: this.decrypt(record),
      presenter,
      visibility,
      holdings,
      recentDays: RECENT_TRANSACTION_DAYS,
      tags,
      consent,
      analytics,
      today: this.calendar.today(),
    });
    await this.auditReveal(user, [customerId], presenter);
    return view;
  }

  /** Profiles of the customers in scope among `ids` (gRPC batch lookups). */
  async profiles(user: AuthenticatedUser, ids: readonly string[]): Promise<CustomerProfileDto[]> {
    const scope = await this.scopes.resolve(user);
    const records = await this.customers.findInScope(ids, scope);
    const presenter = new PiiPresenter(user);
    const today = this.calendar.today();
    const profiles = records.map((r) => presentProfile(r, this.decrypt(r), presenter, today));
    await this.auditReveal(
      user,
      records.map((r) => r.customer.id),
      presenter,
    );
    return profiles;
  }

  /** The customer if the caller's scope covers them; 404 otherwise (unknown and out of scope look the same). */
  async requireInScope(
    user: AuthenticatedUser,
    customerId: string,
  ): Promise<{ record: CustomerRecord; scope: DataScope }> {
    const scope = await this.scopes.resolve(user);
    const [record] = await this.customers.findInScope([customerId], scope);
    if (!record) throw customerNotFound(customerId);
    return { record, scope };
  }

  private decrypt(record: CustomerRecord): { idNumber: string | null; phone: string | null } {
    const c = record.customer;
    return {
      idNumber: c.id_number_enc ? this.cipher.decrypt(c.id_number_enc) : null,
      phone: this.cipher.decrypt(c.phone_enc),
    };
  }

  private async auditReveal(
    user: AuthenticatedUser,
    customerIds: string[],
    presenter: PiiPresenter,
  ): Promise<void> {
    if (!presenter.auditRequired) return;
    for (const customerId of customerIds) {
      await this.audit.record({
        actor: user,
        action: 'customer.pii.read',
        resourceType: 'customer',
        resourceId: customerId,
        customerId,
        outcome: 'allowed',
        details: { fields: presenter.revealedFields },
      });
    }
  }
}
