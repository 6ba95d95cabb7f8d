import { Injectable } from '@nestjs/common';
import { BusinessCalendar } from '@crm/calendar';
import { AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { CobRunRepository } from '../cob/cob-run.repository';
import { AnalyticsException, AnalyticsExceptionCode } from '../common/analytics.exception';
import { profilePayload } from './profile-payload';
import type { CustomerProfileDto, TierHistoryDto } from './profile.dto';
import { ProfileRepository } from './profile.repository';

/** A customer's profile as of a close of business, and their tier history, in the caller's data scope. */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly runs: CobRunRepository,
    private readonly scopes: DataScopeResolver,
    private readonly calendar: BusinessCalendar,
  ) {}

  async ofCustomer(
    user: AuthenticatedUser,
    customerId: string,
    businessDate?: string,
  ): Promise<CustomerProfileDto> {
    const scope = await this.scopes.resolve(user);
    const date = businessDate ?? (await this.runs.latestDate());
    const found = date ? await this.profiles.ofCustomer(scope, customerId, date) : null;
    if (!found)
      throw new AnalyticsException(
        AnalyticsExceptionCode.NoFigures,
        `no profile of customer ${customerId}${date ? ` at ${date}` : ''} in your data scope`,
      );
    return profilePayload(date!, found, this.calendar);
  }

  async tierHistory(user: AuthenticatedUser, customerId: string): Promise<TierHistoryDto> {
    const changes = await this.profiles.tierChanges(await this.scopes.resolve(user), customerId);
    if (!changes)
      throw new AnalyticsException(
        AnalyticsExceptionCode.CustomerNotFound,
        `no customer ${customerId} in your data scope`,
      );
    return { customerId, changes };
  }
}
