import { AlertKind, type LoanInterestUnpaidPayload } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import type { AlertCandidate } from './rule.types';

/** 贷款欠息: every notice of unpaid interest. Period: the interest period (YYYY-MM). */
export function loanInterestUnpaidRule(
  unpaid: LoanInterestUnpaidPayload,
  calendar: BusinessCalendar,
): AlertCandidate {
  return {
    kind: AlertKind.LoanInterestUnpaid,
    customerId: unpaid.customerId,
    subjectRef: unpaid.loanId,
    periodKey: unpaid.period,
    institutionId: unpaid.institutionId,
    amount: unpaid.amountUnpaid,
    reason: `interest of ${unpaid.period} unpaid: ${unpaid.amountUnpaid.amount} ${unpaid.amountUnpaid.currency} (total unpaid ${unpaid.totalInterestUnpaid.amount})`,
    occurredAt: calendar.startOf(unpaid.asOf),
  };
}
