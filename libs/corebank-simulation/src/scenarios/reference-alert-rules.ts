import Decimal from 'decimal.js';
import {
  AccountClosureReason,
  AccountKind,
  AlertKind,
  CreditDebitIndicator,
  DEFAULT_ALERT_PARAMETERS,
  EventTypes,
  isClassificationDowngrade,
  type AccountClosedPayload,
  type AccountOpenedPayload,
  type AlertParameters,
  type CardOverduePayload,
  type CardSpendPostedPayload,
  type CardStatementIssuedPayload,
  type LoanClassificationChangedPayload,
  type LoanDisbursedPayload,
  type LoanInterestUnpaidPayload,
  type LoanOverduePayload,
  type TransactionPostedPayload,
} from '@crm/contracts';
import { MS_PER_HOUR, addDays, cstDateOf } from '../core/calendar';
import type { SimEvent } from '../core/event-factory';

export type DerivedAlert = { kind: AlertKind; customerId: string; subjectRef: string; periodKey: string };

interface Entry {
  at: number;
  amount: Decimal;
  toOtherBank: boolean;
}

/**
 * A literal reading of the rules stated on AlertKind and DEFAULT_ALERT_PARAMETERS, applied to a finished
 * list of events. The scenario tests use it to check that every scenario declares exactly the alerts its
 * events call for; it is deliberately naive (no state beyond the events), not the alert service.
 */
export function deriveAlerts(
  events: readonly SimEvent[],
  endsAt: string,
  parameters: AlertParameters = DEFAULT_ALERT_PARAMETERS,
): DerivedAlert[] {
  const raised = new Map<string, DerivedAlert>();
  const raise = (kind: AlertKind, customerId: string, subjectRef: string, periodKey: string) =>
    raised.set(`${kind}|${subjectRef}|${periodKey}`, { kind, customerId, subjectRef, periodKey });
  const lastDay = cstDateOf(Date.parse(endsAt));
  const reminderDue = (dueDate: string, leadDays: number) => addDays(dueDate, -leadDays) <= lastDay;
  const credits = new Map<string, Entry[]>();
  const debits = new Map<string, Entry[]>();

  const windowed = (entries: Entry[], at: number, hours: number) =>
    entries.filter((e) => e.at > at - hours * MS_PER_HOUR);

  for (const event of events) {
    const data = event.data as Record<string, never>;
    switch (event.type) {
      case EventTypes.TransactionPosted: {
        const t = data as unknown as TransactionPostedPayload;
        const at = Date.parse(t.bookingDate);
        const day = cstDateOf(at);
        const entry = {
          at,
          amount: new Decimal(t.amount.amount),
          toOtherBank:
            t.bankTransactionCode.startsWith('PMNT-ICDT-') && t.counterparty?.agent.sameBank === false,
        };
        const inflow = t.creditDebitIndicator === CreditDebitIndicator.Credit;
        const book = inflow ? credits : debits;
        const rule = inflow ? parameters.largeInflow : parameters.largeOutflow;
        book.set(t.accountId, [...(book.get(t.accountId) ?? []), entry]);
        const recent = windowed(book.get(t.accountId)!, at, rule.windowHours);
        const total = recent.reduce((sum, e) => sum.plus(e.amount), new Decimal(0));
        if (entry.amount.gte(rule.singleAmount) || total.gte(rule.windowTotal)) {
          raise(inflow ? AlertKind.LargeInflow : AlertKind.LargeOutflow, t.customerId, t.accountId, day);
        }
        const frequent = parameters.frequentTransfersToOtherBanks;
        if (
          !inflow &&
          entry.toOtherBank &&
          windowed(book.get(t.accountId)!, at, frequent.windowHours).filter((e) => e.toOtherBank).length >=
            frequent.count
        ) {
          raise(AlertKind.FrequentTransfersToOtherBanks, t.customerId, t.accountId, day);
        }
        break;
      }
      case EventTypes.CardSpendPosted: {
        const s = data as unknown as CardSpendPostedPayload;
        if (new Decimal(s.amount.amount).gte(parameters.largeCardSpend.singleAmount)) {
          raise(AlertKind.LargeCardSpend, s.customerId, s.cardId, cstDateOf(Date.parse(s.postedAt)));
        }
        break;
      }
      case EventTypes.AccountClosed: {
        const c = data as unknown as AccountClosedPayload;
        if (c.reason !== AccountClosureReason.Matured)
          raise(AlertKind.DepositAccountClosed, c.customerId, c.accountId, c.closedOn);
        break;
      }
      case EventTypes.AccountOpened: {
        const o = data as unknown as AccountOpenedPayload;
        const lead = parameters.reminderDaysBefore;
        if (o.kind === AccountKind.TimeDeposit && reminderDue(o.maturityDate!, lead.timeDepositMaturity)) {
          raise(AlertKind.TimeDepositMaturity, o.customerId, o.accountId, o.maturityDate!);
        }
        if (
          o.kind === AccountKind.WealthProduct &&
          reminderDue(o.maturityDate!, lead.wealthProductMaturity)
        ) {
          raise(AlertKind.WealthProductMaturity, o.customerId, o.accountId, o.maturityDate!);
        }
        break;
      }
      case EventTypes.LoanDisbursed: {
        const l = data as unknown as LoanDisbursedPayload;
        const today = cstDateOf(Date.parse(event.time));
        if (reminderDue(l.maturityDate, parameters.reminderDaysBefore.loanMaturity)) {
          raise(AlertKind.LoanMaturity, l.customerId, l.loanId, l.maturityDate);
        }
        for (const instalment of l.schedule) {
          if (
            instalment.dueDate >= today &&
            reminderDue(instalment.dueDate, parameters.reminderDaysBefore.loanInstalmentDue)
          ) {
            raise(AlertKind.LoanInstalmentDue, l.customerId, l.loanId, instalment.dueDate);
          }
        }
        break;
      }
      case EventTypes.CardStatementIssued: {
        const s = data as unknown as CardStatementIssuedPayload;
        if (reminderDue(s.dueDate, parameters.reminderDaysBefore.cardRepaymentDue)) {
          raise(AlertKind.CardRepaymentDue, s.customerId, s.cardId, s.dueDate);
        }
        break;
      }
      case EventTypes.LoanInterestUnpaid: {
        const u = data as unknown as LoanInterestUnpaidPayload;
        raise(AlertKind.LoanInterestUnpaid, u.customerId, u.loanId, u.period);
        break;
      }
      case EventTypes.LoanOverdue: {
        const o = data as unknown as LoanOverduePayload;
        raise(AlertKind.LoanOverdue, o.customerId, o.loanId, o.dueDate);
        break;
      }
      case EventTypes.LoanClassificationChanged: {
        const c = data as unknown as LoanClassificationChangedPayload;
        if (isClassificationDowngrade(c.from, c.to)) {
          raise(AlertKind.LoanClassificationDowngrade, c.customerId, c.loanId, `${c.to}@${c.effectiveOn}`);
        }
        break;
      }
      case EventTypes.CardOverdue: {
        const o = data as unknown as CardOverduePayload;
        raise(AlertKind.CardOverdue, o.customerId, o.cardId, o.dueDate);
        break;
      }
      default:
        break;
    }
  }
  return [...raised.values()];
}
