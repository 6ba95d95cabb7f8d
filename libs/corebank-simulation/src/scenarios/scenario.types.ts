import type { AlertKind } from '@crm/contracts';
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
  /** The campaign target segment, for a scenario that tells how customers answer campaigns. */
  segment?: ScenarioSegment;
  startsAt: string;
  endsAt: string;
}
