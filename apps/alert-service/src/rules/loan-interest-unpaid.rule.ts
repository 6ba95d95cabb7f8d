import { AlertKind, type LoanInterestUnpaidPayload } from '@crm/contracts';
import { startOfCstDay } from './calendar.util';
import type { AlertCandidate } from './rule.types';

/** 贷款欠息: every notice of unpaid interest. Period: the interest period (YYYY-MM). */
export function loanInterestUnpaidRule(unpaid: LoanInterestUnpaidPayload): AlertCandidate {
  return {
    kind: AlertKind.LoanInterestUnpaid,
    customerId: unpaid.customerId,
    subjectRef: unpaid.loanId,
    periodKey: unpaid.period,
    institutionId: unpaid.institutionId,
    amount: unpaid.amountUnpaid,
    reason: `interest of ${unpaid.period} unpaid: ${unpaid.amountUnpaid.amount} ${unpaid.amountUnpaid.currency} (total unpaid ${unpaid.totalInterestUnpaid.amount})`,
    occurredAt: startOfCstDay(unpaid.asOf),
  };
}
