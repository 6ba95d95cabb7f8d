import { Injectable } from '@nestjs/common';
import { MS_PER_DAY } from '@crm/calendar';
import { AuthenticatedUser, DataScopeResolver, assertInstitutionInScope } from '@crm/security';
import { LedgerQueryDto, LedgerSummaryDto } from './contact-ledger.dto';
import { ContactLedgerRepository } from './contact-ledger.repository';

const DEFAULT_SPAN_MS = 30 * MS_PER_DAY;

/** The seed bank's missing view: every campaign's contacts of a customer, a number, a channel, at once. */
@Injectable()
export class ContactLedgerService {
  constructor(
    private readonly ledger: ContactLedgerRepository,
    private readonly scopes: DataScopeResolver,
  ) {}

  async summary(user: AuthenticatedUser, query: LedgerQueryDto): Promise<LedgerSummaryDto> {
    const scope = await this.scopes.resolve(user);
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_SPAN_MS);
    let institutionIds: readonly string[] | undefined;
    if (query.institutionId) {
      assertInstitutionInScope(scope, query.institutionId);
      institutionIds = await this.scopes.subtreeOf(query.institutionId);
    }
    const figures = await this.ledger.figures(scope, {
      campaignId: query.campaignId,
      institutionIds,
      from,
      to,
    });
    return { from: from.toISOString(), to: to.toISOString(), ...figures };
  }
}
