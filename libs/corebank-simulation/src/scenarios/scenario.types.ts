import type {
  AccountClosureReason,
  AccountKind,
  AlertKind,
  ChurnReason,
  PotentialTag,
  TransactionChannel,
} from '@crm/contracts';
import type { KnownCustomer } from '../campaigns/known-customer';
import type { SimEvent } from '../core/event-factory';
import type { Institution, Manager } from '../population/bank.model';
import type { Story } from './story';

/**
 * An alert a scenario must raise under DEFAULT_ALERT_PARAMETERS. `periodKey` follows the rule stated on
 * AlertKind, so (kind, subjectRef, periodKey) names exactly one alert.
 */
export interface ExpectedAlert {
  kind: AlertKind;
  customerId: string;
  /** The account, loan or card. */
  subjectRef: string;
  periodKey: string;
  /** Why the story raises it, for the reader of a failing test. */
  because: string;
}

/**
 * A customer's figures as of the end of a business date, stated by the story from its own book-keeping
 * (not from its events, which tests replay to check them). Windows end on the business date and count
 * whole calendar days: the last 30 days are businessDate-29 .. businessDate, the last 90
 * businessDate-89 .. businessDate, the 90 before the last 30 businessDate-119 .. businessDate-30. Amounts are CNY decimal strings.
 */
export interface ExpectedFacts {
  /**
   * Assets under management: the balances of every deposit account (current, savings, time deposit,
   * wealth product) at the end of the day; a closed account counts zero.
   */
  aum: { thirtyDaysBefore: string; businessDate: string };
  /** Current and savings balances at the end of the business date. */
  demandDeposits: string;
  /** Whether the customer holds a wealth product at the end of the business date. */
  holdsWealthProduct: boolean;
  /** Entries posted (transaction.posted, any code and channel) on the customer's accounts, by value date. */
  entries: { last30Days: number; last90Days: number; previous90Days: number };
  /** The same entries of the last 90 days (businessDate-89 .. businessDate) by channel; unused channels absent. */
  channelsLast90Days: Partial<Record<TransactionChannel, number>>;
  /** The value date of the customer's latest entry, if any. */
  lastEntryOn?: string;
  /** Debits by credit transfer (PMNT-ICDT-*) to another bank (counterparty agent not sameBank), last 30 days. */
  transfersToOtherBanks: { count: number; amount: string };
  /** Accounts closed in the last 30 days. */
  closed: { accountId: string; kind: AccountKind; reason: AccountClosureReason; closedOn: string }[];
  /** Time deposits and wealth products that matured in the last 30 days and were paid out, not renewed. */
  maturedNotRenewed: string[];
}

/** What an analytics close of business must find about one of the story's customers. */
export interface ExpectedProfile {
  customerId: string;
  /** What the story does with the customer, for the reader of a failing test. */
  because: string;
  facts: ExpectedFacts;
  /** Stated when the story is about churn: whether the score reaches the warning line, the reasons it names. */
  churn?: { warned: boolean; reasons: ChurnReason[] };
  /** Stated when the story is about potential: tags the customer must carry and tags it must not. */
  tags?: { given: PotentialTag[]; notGiven: PotentialTag[] };
}

/** A close-of-business run on `businessDate` (after every event of the story) and what it must find. */
export interface ExpectedAnalytics {
  businessDate: string;
  profiles: ExpectedProfile[];
}

/** A customer a scenario registered, with what it opened: the ids to look for among live traffic. */
export interface ScenarioCustomer {
  customerId: string;
  /** Deposit accounts, loans and cards, in the order opened: the subjects of its alerts. */
  holdings: string[];
  /** The story's relationship manager and outlet, who get the customer's alerts. */
  managerId: string;
  institutionId: string;
}

/** Customers a scenario sets up for a campaign to target, all of one outlet and one manager. */
export interface ScenarioSegment {
  outlet: Institution;
  manager: Manager;
  members: KnownCustomer[];
}

export interface ScenarioDefinition {
  /** Kebab-case name used on the command line. */
  name: string;
  summary: string;
  /** Tells the story: publishes its events through `story` and declares the alerts they must raise. */
  tell(story: Story): void;
}

/**
 * A scenario told for one seed and start. Its customers are its own (ids depend on seed, start and name).
 * Expected alerts are exactly the alerts due by `endsAt`, the time of the last event; for the story's
 * customers no other alert may be raised. Reminder lead times count from event time.
 */
export interface ScenarioRun {
  name: string;
  summary: string;
  /** Carried by every event of the run as the CloudEvents `correlationid`. */
  correlationId: string;
  events: SimEvent[];
  expectedAlerts: ExpectedAlert[];
  customerIds: string[];
  customers: ScenarioCustomer[];
  /** What an analytics close of business must find, for a scenario that tells a customer history. */
  analytics?: ExpectedAnalytics;
  /** The campaign target segment, for a scenario that tells how customers answer campaigns. */
  segment?: ScenarioSegment;
  startsAt: string;
  endsAt: string;
}
