import { AlertKind, isClassificationDowngrade, type LoanClassificationChangedPayload } from '@crm/contracts';
import type { BusinessCalendar } from '@crm/calendar';
import type { AlertCandidate } from './rule.types';

/**
 * 五级分类下调: any step to a worse tier (normal → special-mention → substandard → doubtful → loss), a
 * jump of several tiers included; an upgrade or no change raises nothing. Period: `<to>@<effectiveOn>`.
 */
export function loanClassificationDowngradeRule(
  changed: LoanClassificationChangedPayload,
  calendar: BusinessCalendar,
): AlertCandidate | null {
  if (!isClassificationDowngrade(changed.from, changed.to)) return null;
  return {
    kind: AlertKind.LoanClassificationDowngrade,
    customerId: changed.customerId,
    subjectRef: changed.loanId,
    periodKey: `${changed.to}@${changed.effectiveOn}`,
    institutionId: changed.institutionId,
    reason: `five-tier classification ${changed.from} -> ${changed.to} from ${changed.effectiveOn}${changed.reason ? `: ${changed.reason}` : ''}`,
    occurredAt: calendar.startOf(changed.effectiveOn),
  };
}
