import { addMonths } from '@crm/calendar';
import { CoverageBasis, CoverageReason } from '@crm/contracts';
import { Money, MoneyValue, money } from '@crm/persistence';

/** An open deposit or wealth account, as the holdings projection knows it. */
export interface DepositHolding {
  accountId: string;
  institutionId: string;
  /** Decimal string; the balance carried by the latest event about the account. */
  balance: string;
  /** Null when only transactions have been seen so far (the opening event is still on its way). */
  openedOn: string | null;
  managerId: string | null;
}

export interface LoanHolding {
  loanId: string;
  institutionId: string;
  managerId: string;
  outstanding: string;
  disbursedOn: string;
}

export interface CardHolding {
  cardId: string;
  institutionId: string;
  managerId: string | null;
  creditLimit: string;
  issuedOn: string;
}

/** What one customer holds across the bank: open accounts, unsettled loans, cards. */
export interface CustomerHoldings {
  deposits: readonly DepositHolding[];
  loans: readonly LoanHolding[];
  cards: readonly CardHolding[];
  /** The last day a loan of the customer was overdue or had interest unpaid; null when never. */
  lastCreditIncidentOn: string | null;
}

/** A head's manual choice of manager at one covering institution (see applyPins). */
export interface ManagerPin {
  institutionId: string;
  managerId: string;
}

export interface KeyCustomerThresholds {
  /** Total deposits strictly above this make a key customer. */
  assetThreshold: string;
  /** Total outstanding loans strictly above this, with a clean record, make a key customer. */
  loanThreshold: string;
  /** No overdue and no unpaid interest in this many years before `asOf`. */
  cleanYears: number;
}

export interface CoverageEntry {
  institutionId: string;
  managerId: string | null;
  reason: CoverageReason;
  basis: CoverageBasis;
}

export interface CoverageDecision {
  primary: CoverageEntry | null;
  /** Ordered by institution id. */
  secondary: CoverageEntry[];
  keyCustomer: boolean;
  privateBankerId: string | null;
  /** Pins that no longer apply because their institution stopped covering the customer. */
  endedPins: ManagerPin[];
  /** True when the private banker was removed because the customer is no longer a key customer. */
  privateBankerEnded: boolean;
}

export interface CoverageInput {
  holdings: CustomerHoldings;
  pins: readonly ManagerPin[];
  privateBankerId: string | null;
  thresholds: KeyCustomerThresholds;
  /** The business day the decision is made for (`YYYY-MM-DD`): the event's day, so replays decide alike. */
  asOf: string;
}

/** An institution's claim to cover the customer, before the primary is chosen. */
interface Claim {
  institutionId: string;
  managerId: string | null;
  reason: CoverageReason;
  /** Larger first. */
  weight: MoneyValue;
  /** Earlier first; null (unknown) after every known date. */
  since: string | null;
}

// Loan beats card beats deposit, both for the primary role and for which reason an institution is listed under.
const REASON_STRENGTH: Readonly<Record<CoverageReason, number>> = {
  [CoverageReason.Loan]: 3,
  [CoverageReason.Card]: 2,
  [CoverageReason.LargestDeposit]: 1,
  [CoverageReason.Deposit]: 1,
  [CoverageReason.Manual]: 0,
};

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const compareSince = (a: string | null, b: string | null): number => {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareIds(a, b);
};

/**
 * The tie rule, one comparator for every kind of claim: the larger amount first; on equal amounts the
 * earliest-opened relationship (account opening, loan disbursement, card issue; unknown dates last);
 * then the lowest institution id (plain code-point order of the id string).
 */
const compareClaims = (a: Claim, b: Claim): number =>
  b.weight.comparedTo(a.weight) ||
  compareSince(a.since, b.since) ||
  compareIds(a.institutionId, b.institutionId);

/** Per-item ordering (which loan, card or account speaks for an institution): same rule, item id last. */
const byAmountThenAge =
  <T>(amount: (t: T) => string, since: (t: T) => string | null, id: (t: T) => string) =>
  (a: T, b: T): number =>
    money(amount(b)).comparedTo(amount(a)) || compareSince(since(a), since(b)) || compareIds(id(a), id(b));

function depositClaims(deposits: readonly DepositHolding[]): Claim[] {
  const byInstitution = new Map<string, DepositHolding[]>();
  for (const d of deposits)
    byInstitution.set(d.institutionId, [...(byInstitution.get(d.institutionId) ?? []), d]);
  return [...byInstitution].map(([institutionId, accounts]) => {
    const since = accounts.map((a) => a.openedOn).reduce((x, y) => (compareSince(x, y) <= 0 ? x : y));
    // The manager who sold the largest account there speaks for the institution until a head pins one.
    const withManager = accounts
      .filter((a) => a.managerId !== null)
      .sort(
        byAmountThenAge(
          (a) => a.balance,
          (a) => a.openedOn,
          (a) => a.accountId,
        ),
      );
    return {
      institutionId,
      managerId: withManager[0]?.managerId ?? null,
      reason: CoverageReason.Deposit,
      weight: accounts.reduce((sum, a) => sum.plus(a.balance), new Money(0)),
      since,
    };
  });
}

function loanClaims(loans: readonly LoanHolding[]): Claim[] {
  const sorted = [...loans].sort(
    byAmountThenAge(
      (l) => l.outstanding,
      (l) => l.disbursedOn,
      (l) => l.loanId,
    ),
  );
  return perInstitution(
    sorted.map((l) => ({
      institutionId: l.institutionId,
      managerId: l.managerId,
      reason: CoverageReason.Loan,
      weight: money(l.outstanding),
      since: l.disbursedOn,
    })),
  );
}

function cardClaims(cards: readonly CardHolding[]): Claim[] {
  const sorted = [...cards].sort(
    byAmountThenAge(
      (c) => c.creditLimit,
      (c) => c.issuedOn,
      (c) => c.cardId,
    ),
  );
  return perInstitution(
    sorted.map((c) => ({
      institutionId: c.institutionId,
      managerId: c.managerId,
      reason: CoverageReason.Card,
      weight: money(c.creditLimit),
      since: c.issuedOn,
    })),
  );
}

/** Items come sorted best first: the first one at an institution speaks for it; amounts add up. */
function perInstitution(items: Claim[]): Claim[] {
  const claims = new Map<string, Claim>();
  for (const item of items) {
    const seen = claims.get(item.institutionId);
    if (!seen) claims.set(item.institutionId, { ...item });
    else {
      seen.weight = seen.weight.plus(item.weight);
      seen.since = compareSince(seen.since, item.since) <= 0 ? seen.since : item.since;
    }
  }
  return [...claims.values()];
}

/**
 * The bank's coverage rules (主协办), as a function of what the customer holds:
 * - Loans: the lending institution is primary and the lending manager primary manager. With loans at
 *   several institutions, the one with the largest outstanding total leads (tie rule below).
 * - Credit cards follow the loan rule when there is no loan; with a loan, card institutions are secondary
 *   with the card's manager.
 * - Deposits only: the institution with the largest deposit total is primary (`largest-deposit`), every other
 *   institution where the customer holds an account is secondary (`deposit`).
 * - Every other institution where the customer does business is secondary. An institution appears once,
 *   under its strongest reason (loan, then card, then deposit).
 * - Ties, at every step: larger amount, then earliest-opened relationship, then lowest institution id.
 * Then pins and the private banker are applied (applyPins) and the key-customer flag set.
 */
export function decideCoverage(input: CoverageInput): CoverageDecision {
  const { holdings } = input;
  const claims = new Map<string, Claim>();
  const loans = loanClaims(holdings.loans);
  const cards = cardClaims(holdings.cards);
  const deposits = depositClaims(holdings.deposits);
  for (const claim of [...loans, ...cards, ...deposits]) {
    const seen = claims.get(claim.institutionId);
    if (!seen || REASON_STRENGTH[claim.reason] > REASON_STRENGTH[seen.reason])
      claims.set(claim.institutionId, claim);
  }

  const leaders = loans.length > 0 ? loans : cards.length > 0 ? cards : deposits;
  const lead = [...leaders].sort(compareClaims)[0];
  const toEntry = (claim: Claim, reason = claim.reason): CoverageEntry => ({
    institutionId: claim.institutionId,
    managerId: claim.managerId,
    reason,
    basis: CoverageBasis.Automatic,
  });
  const primary = lead
    ? toEntry(lead, lead.reason === CoverageReason.Deposit ? CoverageReason.LargestDeposit : lead.reason)
    : null;
  const secondary = [...claims.values()]
    .filter((c) => c.institutionId !== lead?.institutionId)
    .sort((a, b) => compareIds(a.institutionId, b.institutionId))
    .map((c) => toEntry(c));

  const pinned = applyPins(primary, secondary, input.pins);
  const keyCustomer = isKeyCustomer(holdings, input.thresholds, input.asOf);
  const privateBankerEnded = input.privateBankerId !== null && !keyCustomer;
  return {
    ...pinned,
    keyCustomer,
    privateBankerId: keyCustomer ? input.privateBankerId : null,
    privateBankerEnded,
  };
}

/**
 * How manual and automatic coverage combine. The rules decide which institutions cover the customer and
 * which of them is primary; a head's pin decides only who the manager is at one institution. A pin holds
 * while its institution covers the customer, whatever role the rules give that institution: when the primary
 * role moves elsewhere, the pinned manager stays with their institution, now secondary. A pin ends only when
 * a head removes it or its institution no longer covers the customer (returned in `endedPins`).
 */
export function applyPins(
  primary: CoverageEntry | null,
  secondary: readonly CoverageEntry[],
  pins: readonly ManagerPin[],
): { primary: CoverageEntry | null; secondary: CoverageEntry[]; endedPins: ManagerPin[] } {
  const pinAt = new Map(pins.map((p) => [p.institutionId, p]));
  const pin = (entry: CoverageEntry): CoverageEntry => {
    const p = pinAt.get(entry.institutionId);
    return p ? { ...entry, managerId: p.managerId, basis: CoverageBasis.Manual } : entry;
  };
  const covering = new Set([primary, ...secondary].filter((e) => e !== null).map((e) => e.institutionId));
  return {
    primary: primary ? pin(primary) : null,
    secondary: secondary.map(pin),
    endedPins: pins.filter((p) => !covering.has(p.institutionId)),
  };
}

/**
 * Key customer (重点客户): total deposits strictly above the asset threshold; or total outstanding loans
 * strictly above the loan threshold with no overdue and no unpaid interest on any loan in the last
 * `cleanYears` years (an incident on the boundary day itself still counts against the customer).
 */
export function isKeyCustomer(
  holdings: CustomerHoldings,
  thresholds: KeyCustomerThresholds,
  asOf: string,
): boolean {
  const assets = holdings.deposits.reduce((sum, d) => sum.plus(d.balance), new Money(0));
  if (assets.greaterThan(thresholds.assetThreshold)) return true;
  const loans = holdings.loans.reduce((sum, l) => sum.plus(l.outstanding), new Money(0));
  if (!loans.greaterThan(thresholds.loanThreshold)) return false;
  // 29 February falls back to 28 February.
  const cleanSince = addMonths(asOf, -12 * thresholds.cleanYears);
  return holdings.lastCreditIncidentOn === null || holdings.lastCreditIncidentOn < cleanSince;
}
