import { ageOn } from '@crm/calendar';
import { formatAmount } from '@crm/persistence';
import { HoldingsVisibility, PiiPresenter } from '@crm/security';
import { AnalyticProfileRow } from '../analytics/analytic-profile.repository';
import { HoldingAmounts, totalHoldings } from '../projection/balance.rule';
import { ConsentRow } from '../consent/consent.repository';
import { TagRow } from '../tags/tag.repository';
import { CustomerAnalyticsDto, CustomerProfileDto, Customer360Dto, HoldingsDto } from './customer-360.dto';
import { CustomerRecord, Holdings } from './customer.repository';

/** Decrypted ID and phone numbers of a customer; presented through PiiPresenter only. */
export interface RevealablePii {
  idNumber: string | null;
  phone: string | null;
}

export function presentProfile(
  record: CustomerRecord,
  pii: RevealablePii,
  presenter: PiiPresenter,
  today: string,
): CustomerProfileDto {
  const c = record.customer;
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    gender: c.gender,
    birthDate: presenter.birthDate(c.birth_date),
    age: c.birth_date ? ageOn(c.birth_date, today) : null,
    industry: c.industry,
    regionCode: c.region_code,
    homeInstitutionId: c.home_institution_id,
    idNumber: presenter.idNumber(pii.idNumber),
    phone: presenter.phone(pii.phone),
    registeredOn: c.registered_on,
    valueTier: c.value_tier,
    lifecycleStage: c.lifecycle_stage,
  };
}

/**
 * The holdings part of the 360 view from rows the repository read under `visibility`: per-kind
 * totals with decimal.js, and the visibility stated so a secondary institution knows it sees a part.
 */
export function presentHoldings(
  holdings: Holdings,
  visibility: Exclude<HoldingsVisibility, { kind: 'none' }>,
): HoldingsDto {
  const open = holdings.accounts.filter((a) => a.status !== 'closed');
  const amounts: HoldingAmounts[] = [
    ...open.map((a) => ({
      deposits: a.kind === 'wealth-product' ? '0' : a.balance,
      wealth: a.kind === 'wealth-product' ? a.balance : '0',
      loans: '0',
      cards: '0',
    })),
    ...holdings.loans
      .filter((l) => l.status !== 'settled')
      .map((l) => ({ deposits: '0', wealth: '0', loans: l.outstanding, cards: '0' })),
    ...holdings.cards.map((k) => ({
      deposits: '0',
      wealth: '0',
      loans: '0',
      // An overpaid card is money owed to the customer, not a liability.
      cards: k.outstanding_balance.startsWith('-') ? '0' : k.outstanding_balance,
    })),
  ];
  return {
    visibility: visibility.kind,
    ...(visibility.kind === 'institutions'
      ? { visibleInstitutionIds: [...visibility.institutionIds].sort() }
      : {}),
    totals: totalHoldings(amounts),
    accounts: holdings.accounts.map((a) => ({
      accountId: a.id,
      institutionId: a.institution_id,
      kind: a.kind,
      productCode: a.product_code,
      productName: a.product_name,
      status: a.status,
      balance: formatAmount(a.balance),
      currency: a.currency,
      openedOn: a.opened_on,
      closedOn: a.closed_on,
      maturityDate: a.maturity_date,
    })),
    loans: holdings.loans.map((l) => ({
      loanId: l.id,
      institutionId: l.institution_id,
      productCode: l.product_code,
      productName: l.product_name,
      status: l.status,
      classification: l.classification,
      principal: l.principal,
      outstanding: formatAmount(l.outstanding),
      daysOverdue: l.days_overdue,
      overdueAmount: formatAmount(l.overdue_amount),
      interestUnpaid: formatAmount(l.interest_unpaid),
      disbursedOn: l.disbursed_on,
      maturityDate: l.maturity_date,
    })),
    cards: holdings.cards.map((k) => ({
      cardId: k.id,
      institutionId: k.institution_id,
      productName: k.product_name,
      maskedCardNumber: k.masked_card_number,
      status: k.status,
      creditLimit: k.credit_limit,
      statementBalance: formatAmount(k.statement_balance),
      outstandingBalance: formatAmount(k.outstanding_balance),
      dueDate: k.due_date,
    })),
  };
}

/**
 * The analytics section. The tags' facts state figures across the whole bank (idle deposits, AUM), so
 * a secondary institution, which sees only what is held with it, gets the tags and scores without them.
 */
export function presentAnalytics(
  profile: AnalyticProfileRow,
  visibility: Exclude<HoldingsVisibility, { kind: 'none' }>,
): CustomerAnalyticsDto {
  const tags = [...profile.tags].sort((a, b) => b.score - a.score || (a.tag < b.tag ? -1 : 1));
  return {
    asOf: profile.business_date,
    computedAt: profile.computed_at.toISOString(),
    valueTier: profile.value_tier,
    lifecycleStage: profile.lifecycle_stage,
    rfm: profile.rfm && {
      recency: profile.rfm.recency,
      frequency: profile.rfm.frequency,
      monetary: profile.rfm.monetary,
      segment: profile.rfm.segment,
    },
    tags: tags.map((t) => ({
      tag: t.tag,
      score: t.score,
      facts: visibility.kind === 'all' ? t.facts : null,
    })),
    churnScore: profile.churn_score,
    churnReasons: profile.churn_reasons,
  };
}

export function present360(input: {
  record: CustomerRecord;
  pii: RevealablePii;
  presenter: PiiPresenter;
  visibility: Exclude<HoldingsVisibility, { kind: 'none' }>;
  holdings: Holdings;
  recentDays: number;
  tags: TagRow[];
  consent: ConsentRow[];
  analytics: AnalyticProfileRow | undefined;
  today: string;
}): Customer360Dto {
  const { record, holdings } = input;
  const t = holdings.transactions;
  return {
    profile: presentProfile(record, input.pii, input.presenter, input.today),
    coverage: {
      primary: record.coverage.primaryInstitutionId
        ? { institutionId: record.coverage.primaryInstitutionId, managerId: record.coverage.primaryManagerId }
        : null,
      secondary: record.coverage.secondary.map((s) => ({
        institutionId: s.institutionId,
        managerId: s.managerId,
      })),
      keyCustomer: record.coverage.keyCustomer,
      privateBankerId: record.coverage.privateBankerId,
    },
    holdings: presentHoldings(holdings, input.visibility),
    recentTransactions: {
      days: input.recentDays,
      count: t.count,
      credits: formatAmount(t.credits),
      debits: formatAmount(t.debits),
      last:
        t.last_id && t.last_booked_at
          ? {
              transactionId: t.last_id,
              accountId: t.last_account_id ?? '',
              creditDebitIndicator: t.last_direction ?? '',
              amount: formatAmount(t.last_amount ?? '0'),
              bookedAt: t.last_booked_at.toISOString(),
            }
          : null,
    },
    tags: input.tags.map((tag) => ({
      tag: tag.tag,
      kind: tag.kind,
      source: tag.source,
      score: tag.score,
      validUntil: tag.valid_until?.toISOString() ?? null,
      createdAt: tag.created_at.toISOString(),
    })),
    consent: input.consent.map((c) => ({
      channel: c.channel,
      status: c.status,
      changedAt: c.changed_at.toISOString(),
      changedBy: c.changed_by,
      source: c.source,
    })),
    analytics: input.analytics ? presentAnalytics(input.analytics, input.visibility) : null,
  };
}
