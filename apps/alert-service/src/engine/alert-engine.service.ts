import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AlertKind,
  CreditDebitIndicator,
  EventTypes,
  type AccountClosedPayload,
  type AccountMaturityChangedPayload,
  type AccountOpenedPayload,
  type AlertParameters,
  type CardOverduePayload,
  type CardSpendPostedPayload,
  type CardStatementIssuedPayload,
  type EventEnvelope,
  type LoanClassificationChangedPayload,
  type LoanDisbursedPayload,
  type LoanInterestUnpaidPayload,
  type LoanOverduePayload,
  type LoanScheduleChangedPayload,
  type LoanSettledPayload,
  type TransactionPostedPayload,
  type TransactionReversedPayload,
} from '@crm/contracts';
import { BatchKey, type EventBatch } from '@crm/messaging';
import { BusinessCalendar, MS_PER_HOUR } from '@crm/calendar';
import { formatAmount } from '@crm/persistence';
import { AlertMetrics } from '../alerts/alert-metrics';
import { AlertRaiser } from '../alerts/alert-raiser.service';
import { AlertParametersService } from '../parameters/alert-parameters.service';
import { ReminderService } from '../reminders/reminder.service';
import { cardOverdueRule } from '../rules/card-overdue.rule';
import { cardRepaymentDueRule } from '../rules/card-repayment-due.rule';
import { depositAccountClosedRule } from '../rules/deposit-account-closed.rule';
import type { FlowEntry } from '../rules/flow-window.util';
import {
  frequentTransfersToOtherBanksRule,
  isTransferToOtherBank,
} from '../rules/frequent-transfers-to-other-banks.rule';
import { largeCardSpendRule } from '../rules/large-card-spend.rule';
import { largeInflowRule, type FlowSubject } from '../rules/large-inflow.rule';
import { largeOutflowRule } from '../rules/large-outflow.rule';
import { loanClassificationDowngradeRule } from '../rules/loan-classification-downgrade.rule';
import { loanInstalmentDueRule } from '../rules/loan-instalment-due.rule';
import { loanInterestUnpaidRule } from '../rules/loan-interest-unpaid.rule';
import { loanMaturityRule, type LoanTerms } from '../rules/loan-maturity.rule';
import { loanOverdueRule } from '../rules/loan-overdue.rule';
import { alertKeyOf, type AlertCandidate, type ReminderPlan } from '../rules/rule.types';
import { timeDepositMaturityRule, type MaturingAccount } from '../rules/time-deposit-maturity.rule';
import { wealthProductMaturityRule } from '../rules/wealth-product-maturity.rule';
import { FlowEntryRepository } from '../windows/flow-entry.repository';
import { FlowWindowStore, type Direction, type WindowEntry } from '../windows/flow-window.store';

const MATURITY_KINDS = [AlertKind.TimeDepositMaturity, AlertKind.WealthProductMaturity] as const;
const LOAN_REMINDER_KINDS = [AlertKind.LoanMaturity, AlertKind.LoanInstalmentDue] as const;

/** One event being handled: its transaction, envelope, and the batch of events applied in that transaction. */
export interface Handling {
  tx: EntityManager;
  envelope: EventEnvelope<object>;
  batch: EventBatch;
}

/**
 * Applies the rules to one core-banking event: advances the customer's event clock (due reminders),
 * looks up the parameters in force for the customer at event time, keeps the windows, raises alerts.
 */
@Injectable()
export class AlertEngine {
  constructor(
    private readonly parameters: AlertParametersService,
    private readonly raiser: AlertRaiser,
    private readonly reminders: ReminderService,
    private readonly flows: FlowEntryRepository,
    private readonly windows: FlowWindowStore,
    private readonly metrics: AlertMetrics,
    private readonly calendar: BusinessCalendar,
  ) {}

  async transactionPosted(h: Handling, t: TransactionPostedPayload): Promise<void> {
    const params = await this.begin(h, t.customerId, t.institutionId, Date.parse(t.bookingDate));
    const entered = await this.entered(h);
    if (!entered) return;
    const { subject, direction, entry, others } = entered;
    const candidates =
      direction === 'CRDT'
        ? largeInflowRule(subject, others, entry, params, this.calendar)
        : [
            ...largeOutflowRule(subject, others, entry, params, this.calendar),
            ...frequentTransfersToOtherBanksRule(subject, others, entry, params, this.calendar),
          ];
    this.raise(h, candidates);
  }

  /**
   * A reversed entry leaves the windows, so it counts towards no later alert. An alert it already raised
   * stands: the money did move, and the manager resolves it with the reversal as outcome.
   */
  async transactionReversed(h: Handling, r: TransactionReversedPayload): Promise<void> {
    const at = Date.parse(r.bookingDate);
    await this.begin(h, r.customerId, r.institutionId, at);
    const subject = { customerId: r.customerId, accountId: r.accountId };
    const reversed = await this.flows.reverse(h.tx, h.batch, subject, r.reversedTransactionId, {
      direction: r.creditDebitIndicator === CreditDebitIndicator.Credit ? 'CRDT' : 'DBIT',
      at,
      amount: formatAmount(r.amount.amount),
      currency: r.amount.currency,
    });
    if (reversed) await this.windows.remove(subject, reversed.direction, reversed.entry);
  }

  async accountOpened(h: Handling, o: AccountOpenedPayload): Promise<void> {
    const at = this.eventTime(h);
    const params = await this.begin(h, o.customerId, o.institutionId, at);
    await this.reminders.plan(h.tx, h.batch, this.maturityPlans(o, params), at, h.envelope.id);
  }

  async accountMaturityChanged(h: Handling, m: AccountMaturityChangedPayload): Promise<void> {
    const at = this.eventTime(h);
    const params = await this.begin(h, m.customerId, m.institutionId, at);
    const plans = this.maturityPlans(m, params);
    await this.reminders.cancel(h.tx, h.batch, m.accountId, MATURITY_KINDS, plans.map(keyOfPlan));
    await this.reminders.plan(h.tx, h.batch, plans, at, h.envelope.id);
  }

  async accountClosed(h: Handling, c: AccountClosedPayload): Promise<void> {
    const at = this.eventTime(h);
    await this.begin(h, c.customerId, c.institutionId, at);
    await this.reminders.cancel(h.tx, h.batch, c.accountId, MATURITY_KINDS);
    const alert = depositAccountClosedRule(c, this.calendar);
    this.raise(h, alert ? [alert] : []);
  }

  async loanDisbursed(h: Handling, l: LoanDisbursedPayload): Promise<void> {
    const at = this.eventTime(h);
    const params = await this.begin(h, l.customerId, l.institutionId, at);
    await this.reminders.plan(h.tx, h.batch, this.loanPlans(l, at, params), at, h.envelope.id);
  }

  /** The new schedule replaces the old: reminders for dates no longer in it are cancelled. */
  async loanScheduleChanged(h: Handling, s: LoanScheduleChangedPayload): Promise<void> {
    const at = this.eventTime(h);
    const params = await this.begin(h, s.customerId, s.institutionId, at);
    const plans = this.loanPlans(s, at, params);
    await this.reminders.cancel(h.tx, h.batch, s.loanId, LOAN_REMINDER_KINDS, plans.map(keyOfPlan));
    await this.reminders.plan(h.tx, h.batch, plans, at, h.envelope.id);
  }

  async loanSettled(h: Handling, s: LoanSettledPayload): Promise<void> {
    await this.begin(h, s.customerId, s.institutionId, this.eventTime(h));
    await this.reminders.cancel(h.tx, h.batch, s.loanId, LOAN_REMINDER_KINDS);
  }

  async loanInterestUnpaid(h: Handling, u: LoanInterestUnpaidPayload): Promise<void> {
    await this.begin(h, u.customerId, u.institutionId, this.eventTime(h));
    this.raise(h, [loanInterestUnpaidRule(u, this.calendar)]);
  }

  async loanOverdue(h: Handling, o: LoanOverduePayload): Promise<void> {
    await this.begin(h, o.customerId, o.institutionId, this.eventTime(h));
    this.raise(h, [loanOverdueRule(o, this.calendar)]);
  }

  async loanClassificationChanged(h: Handling, c: LoanClassificationChangedPayload): Promise<void> {
    await this.begin(h, c.customerId, c.institutionId, this.eventTime(h));
    const alert = loanClassificationDowngradeRule(c, this.calendar);
    this.raise(h, alert ? [alert] : []);
  }

  async cardStatementIssued(h: Handling, s: CardStatementIssuedPayload): Promise<void> {
    const at = this.eventTime(h);
    const params = await this.begin(h, s.customerId, s.institutionId, at);
    await this.reminders.plan(
      h.tx,
      h.batch,
      [cardRepaymentDueRule(s, params, this.calendar)],
      at,
      h.envelope.id,
    );
  }

  async cardSpendPosted(h: Handling, s: CardSpendPostedPayload): Promise<void> {
    const at = Date.parse(s.postedAt);
    const params = await this.begin(h, s.customerId, s.institutionId, at);
    const alert = largeCardSpendRule(s, params, this.calendar);
    this.raise(h, alert ? [alert] : []);
  }

  async cardOverdue(h: Handling, o: CardOverduePayload): Promise<void> {
    await this.begin(h, o.customerId, o.institutionId, this.eventTime(h));
    this.raise(h, [cardOverdueRule(o, this.calendar)]);
  }

  /** Any event of the customer: raise their reminders due by now (event time), then the parameters in force. */
  async customerEvent(h: Handling, customerId: string): Promise<void> {
    this.metrics.eventEvaluated(h.envelope.type);
    await this.reminders.advanceCustomerClock(h.tx, h.batch, customerId, this.eventTime(h), h.envelope.id);
  }

  private async begin(
    h: Handling,
    customerId: string,
    institutionId: string,
    at: number,
  ): Promise<AlertParameters> {
    this.metrics.eventEvaluated(h.envelope.type);
    await this.reminders.advanceCustomerClock(
      h.tx,
      h.batch,
      customerId,
      Math.max(at, this.eventTime(h)),
      h.envelope.id,
    );
    return this.parameters.applicable(h.tx, h.batch, customerId, institutionId, at);
  }

  /**
   * The posting's entry, entered into its window, with the others around it; null when the entry is known
   * already. The postings of a batch are entered a run at a time (from this one up to the next reversal,
   * which changes the windows): one Redis pipeline for the run instead of a round trip per posting.
   */
  private async entered(h: Handling): Promise<EnteredPosting | null> {
    const runs = h.batch.once(
      POSTING_RUNS,
      () => new Map<string, { run: Promise<EnteredRun>; at: number }>(),
    );
    if (!runs.has(h.envelope.id)) {
      const events = h.batch.events;
      const postings: EventEnvelope<TransactionPostedPayload>[] = [];
      for (let i = events.findIndex((e) => e.id === h.envelope.id); i >= 0 && i < events.length; i++) {
        if (events[i].type === EventTypes.TransactionReversed) break;
        if (events[i].type === EventTypes.TransactionPosted) {
          postings.push(events[i] as EventEnvelope<TransactionPostedPayload>);
        }
      }
      if (postings.length === 0) postings.push(h.envelope as EventEnvelope<TransactionPostedPayload>);
      // One promise per run, awaited by each of its postings' handlers in turn.
      const run = this.enterRun(h, postings);
      postings.forEach((event, at) => runs.set(event.id, { run, at }));
    }
    const { run, at } = runs.get(h.envelope.id)!;
    return (await run)[at];
  }

  private async enterRun(
    h: Handling,
    run: readonly EventEnvelope<TransactionPostedPayload>[],
  ): Promise<EnteredRun> {
    const entries: WindowEntry[] = [];
    for (const { data } of run) {
      const params = await this.parameters.applicable(
        h.tx,
        h.batch,
        data.customerId,
        data.institutionId,
        Date.parse(data.bookingDate),
      );
      entries.push(windowEntryOf(data, params));
    }
    const fresh = await this.flows.record(h.tx, h.batch, entries);
    const toEnter = entries.filter((_, i) => fresh[i]);
    const others = await this.windows.enterAll(h.tx, h.batch, toEnter);
    let next = 0;
    return entries.map((e, i) =>
      fresh[i] ? { ...e, subject: subjectOf(run[i].data), others: others[next++] } : null,
    );
  }

  private raise(h: Handling, candidates: AlertCandidate[]): void {
    if (candidates.length > 0) this.raiser.raiseInBatch(h.tx, h.batch, candidates, [h.envelope.id]);
  }

  private eventTime(h: Handling): number {
    return Date.parse(h.envelope.time);
  }

  private maturityPlans(account: MaturingAccount, params: AlertParameters): ReminderPlan[] {
    return [
      timeDepositMaturityRule(account, params, this.calendar),
      wealthProductMaturityRule(account, params, this.calendar),
    ].filter((p): p is ReminderPlan => p !== null);
  }

  private loanPlans(loan: LoanTerms, at: number, params: AlertParameters): ReminderPlan[] {
    return [
      loanMaturityRule(loan, params, this.calendar),
      ...loanInstalmentDueRule(loan, this.calendar.dateOf(at), params, this.calendar),
    ];
  }
}

const keyOfPlan = (p: ReminderPlan): string => alertKeyOf({ ...p, periodKey: p.dueDate });

/** A posting's entry as entered into its window, and the others booked around it there. */
interface EnteredPosting extends WindowEntry {
  subject: FlowSubject;
  others: FlowEntry[];
}

/** A run's postings as entered, in order; null for those known already. */
type EnteredRun = (EnteredPosting | null)[];

const POSTING_RUNS = new BatchKey<Map<string, { run: Promise<EnteredRun>; at: number }>>(
  'alert-engine.posting-runs',
);

const subjectOf = (t: TransactionPostedPayload): FlowSubject => ({
  customerId: t.customerId,
  accountId: t.accountId,
  institutionId: t.institutionId,
});

function windowEntryOf(t: TransactionPostedPayload, params: AlertParameters): WindowEntry {
  const direction: Direction = t.creditDebitIndicator === CreditDebitIndicator.Credit ? 'CRDT' : 'DBIT';
  // Entries booked up to a window after this one are re-judged with it in their windows.
  const windowHours =
    direction === 'CRDT'
      ? params.largeInflow.windowHours
      : Math.max(params.largeOutflow.windowHours, params.frequentTransfersToOtherBanks.windowHours);
  return {
    lookAroundMs: windowHours * MS_PER_HOUR,
    subject: { customerId: t.customerId, accountId: t.accountId },
    direction,
    entry: {
      transactionId: t.transactionId,
      at: Date.parse(t.bookingDate),
      amount: formatAmount(t.amount.amount),
      currency: t.amount.currency,
      toOtherBank:
        direction === 'DBIT' && isTransferToOtherBank(t.bankTransactionCode, t.counterparty?.agent.sameBank),
    },
  };
}
