import type { EventDefinition } from './catalog.types';
import {
  AccountClosedPayload,
  AccountMaturityChangedPayload,
  AccountOpenedPayload,
  AccountStatusChangedPayload,
  AlertRaisedPayload,
  ConsentChangedPayload,
  ContactRequestedPayload,
  CoverageChangedPayload,
  CustomerProfileChangedPayload,
  CardIssuedPayload,
  CardOverduePayload,
  CardPaymentReceivedPayload,
  CardSpendPostedPayload,
  CardStatementIssuedPayload,
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
  InstitutionUpsertedPayload,
  LoanClassificationChangedPayload,
  LoanDisbursedPayload,
  LoanInterestUnpaidPayload,
  LoanOverduePayload,
  LoanRepaymentReceivedPayload,
  LoanScheduleChangedPayload,
  LoanSettledPayload,
  ManagerUpsertedPayload,
  QueueTicketIssuedPayload,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from './events';
import { Topics } from './topics';

/** Every event type (versioned CloudEvents `type`). WIRE NAMES: never change one; publish a `.v2` instead. */
export const EventTypes = {
  CustomerRegistered: 'bank.corebank.customer.registered.v1',
  CustomerUpdated: 'bank.corebank.customer.updated.v1',
  AccountOpened: 'bank.corebank.account.opened.v1',
  AccountClosed: 'bank.corebank.account.closed.v1',
  AccountStatusChanged: 'bank.corebank.account.status-changed.v1',
  AccountMaturityChanged: 'bank.corebank.account.maturity-changed.v1',
  TransactionPosted: 'bank.corebank.transaction.posted.v1',
  TransactionReversed: 'bank.corebank.transaction.reversed.v1',
  LoanDisbursed: 'bank.corebank.loan.disbursed.v1',
  LoanScheduleChanged: 'bank.corebank.loan.schedule-changed.v1',
  LoanRepaymentReceived: 'bank.corebank.loan.repayment-received.v1',
  LoanInterestUnpaid: 'bank.corebank.loan.interest-unpaid.v1',
  LoanOverdue: 'bank.corebank.loan.overdue.v1',
  LoanClassificationChanged: 'bank.corebank.loan.classification-changed.v1',
  LoanSettled: 'bank.corebank.loan.settled.v1',
  CardIssued: 'bank.corebank.card.issued.v1',
  CardStatementIssued: 'bank.corebank.card.statement-issued.v1',
  CardPaymentReceived: 'bank.corebank.card.payment-received.v1',
  CardOverdue: 'bank.corebank.card.overdue.v1',
  CardSpendPosted: 'bank.corebank.card.spend-posted.v1',
  InstitutionUpserted: 'bank.corebank.organisation.institution-upserted.v1',
  ManagerUpserted: 'bank.corebank.organisation.manager-upserted.v1',
  AlertRaised: 'bank.crm.alert.raised.v1',
  CoverageChanged: 'bank.crm.assignment.coverage-changed.v1',
  ConsentChanged: 'bank.crm.customer.consent-changed.v1',
  ContactRequested: 'bank.crm.campaign.contact-requested.v1',
  CustomerProfileChanged: 'bank.crm.analytics.profile-changed.v1',
  QueueTicketIssued: 'bank.lobby.queue.ticket-issued.v1',
} as const;
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

const define = <T extends object>(
  type: EventType,
  topic: EventDefinition['topic'],
  payload: new () => T,
  summary: string,
): EventDefinition<T> & { type: EventType } => ({ type, topic, payload, summary });

export const EVENT_CATALOG: readonly (EventDefinition & { type: EventType })[] = [
  define(
    EventTypes.CustomerRegistered,
    Topics.CorebankCustomer,
    CustomerRegisteredPayload,
    'A customer was registered in core banking, with the full profile.',
  ),
  define(
    EventTypes.CustomerUpdated,
    Topics.CorebankCustomer,
    CustomerUpdatedPayload,
    "A customer's profile changed; carries the full profile and the fields that changed.",
  ),
  define(
    EventTypes.AccountOpened,
    Topics.CorebankAccount,
    AccountOpenedPayload,
    'A current, savings, time-deposit or wealth-product account was opened (or replayed on first connection).',
  ),
  define(
    EventTypes.AccountClosed,
    Topics.CorebankAccount,
    AccountClosedPayload,
    'A deposit or wealth account was closed, with the reason and the amount paid out.',
  ),
  define(
    EventTypes.AccountStatusChanged,
    Topics.CorebankAccount,
    AccountStatusChangedPayload,
    'An account moved between active, dormant, frozen and closed.',
  ),
  define(
    EventTypes.AccountMaturityChanged,
    Topics.CorebankAccount,
    AccountMaturityChangedPayload,
    "A time deposit's or wealth product's maturity date changed (renewal, early redemption, extension).",
  ),
  define(
    EventTypes.TransactionPosted,
    Topics.CorebankTransaction,
    TransactionPostedPayload,
    'An entry was booked on a deposit account (ISO 20022 camt.054 meaning), with the balance after it.',
  ),
  define(
    EventTypes.TransactionReversed,
    Topics.CorebankTransaction,
    TransactionReversedPayload,
    'An earlier entry was reversed, with the balance after the reversal.',
  ),
  define(
    EventTypes.LoanDisbursed,
    Topics.CorebankLoan,
    LoanDisbursedPayload,
    'A loan was paid out, with its instalment schedule and five-tier classification.',
  ),
  define(
    EventTypes.LoanScheduleChanged,
    Topics.CorebankLoan,
    LoanScheduleChangedPayload,
    "A loan's remaining instalment schedule was replaced.",
  ),
  define(
    EventTypes.LoanRepaymentReceived,
    Topics.CorebankLoan,
    LoanRepaymentReceivedPayload,
    'A loan repayment was received, with the principal still outstanding.',
  ),
  define(
    EventTypes.LoanInterestUnpaid,
    Topics.CorebankLoan,
    LoanInterestUnpaidPayload,
    "A period's loan interest fell due and was not paid.",
  ),
  define(
    EventTypes.LoanOverdue,
    Topics.CorebankLoan,
    LoanOverduePayload,
    'A loan instalment is past due, with the days and amounts overdue.',
  ),
  define(
    EventTypes.LoanClassificationChanged,
    Topics.CorebankLoan,
    LoanClassificationChangedPayload,
    "A loan's five-tier classification changed.",
  ),
  define(
    EventTypes.LoanSettled,
    Topics.CorebankLoan,
    LoanSettledPayload,
    'A loan was paid off at maturity, prepaid in full, or written off.',
  ),
  define(
    EventTypes.CardIssued,
    Topics.CorebankCard,
    CardIssuedPayload,
    'A credit card was issued, with its limit and statement day.',
  ),
  define(
    EventTypes.CardStatementIssued,
    Topics.CorebankCard,
    CardStatementIssuedPayload,
    'A credit card statement was cut, with its due date and minimum payment.',
  ),
  define(
    EventTypes.CardPaymentReceived,
    Topics.CorebankCard,
    CardPaymentReceivedPayload,
    'A credit card payment was received.',
  ),
  define(
    EventTypes.CardOverdue,
    Topics.CorebankCard,
    CardOverduePayload,
    "A statement's minimum payment was not made by its due date.",
  ),
  define(
    EventTypes.CardSpendPosted,
    Topics.CorebankCard,
    CardSpendPostedPayload,
    'A credit card purchase or cash advance was posted.',
  ),
  define(
    EventTypes.InstitutionUpserted,
    Topics.CorebankOrganisation,
    InstitutionUpsertedPayload,
    'An institution (head office, branch, outlet) was created or changed.',
  ),
  define(
    EventTypes.ManagerUpserted,
    Topics.CorebankOrganisation,
    ManagerUpsertedPayload,
    'A relationship manager or other staff member was created or changed.',
  ),
  define(
    EventTypes.AlertRaised,
    Topics.CrmAlert,
    AlertRaisedPayload,
    "The CRM raised an alert for a customer's managers.",
  ),
  define(
    EventTypes.CoverageChanged,
    Topics.CrmAssignment,
    CoverageChangedPayload,
    "A customer's coverage changed: primary and secondary institutions and managers, key-customer flag, private banker.",
  ),
  define(
    EventTypes.ConsentChanged,
    Topics.CrmCustomer,
    ConsentChangedPayload,
    "A customer's marketing consent or opt-out on one channel changed.",
  ),
  define(
    EventTypes.ContactRequested,
    Topics.CrmCampaignContact,
    ContactRequestedPayload,
    'A campaign contact is due: a channel gateway sends it, or a manager does it as a task.',
  ),
  define(
    EventTypes.CustomerProfileChanged,
    Topics.CrmAnalyticsProfile,
    CustomerProfileChangedPayload,
    'A customer’s analytic profile changed at a close of business: value tier, lifecycle stage, RFM, potential tags, churn score.',
  ),
  define(
    EventTypes.QueueTicketIssued,
    Topics.LobbyQueue,
    QueueTicketIssuedPayload,
    'The lobby queueing system issued a ticket at an outlet, with the customer when they identified themselves.',
  ),
];

const BY_TYPE = new Map<string, EventDefinition & { type: EventType }>(EVENT_CATALOG.map((d) => [d.type, d]));

/** The definition of an event type, or undefined for a type this version does not know. */
export const eventDefinitionOf = (type: string): (EventDefinition & { type: EventType }) | undefined =>
  BY_TYPE.get(type);
