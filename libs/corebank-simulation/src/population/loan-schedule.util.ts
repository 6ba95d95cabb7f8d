import Decimal from 'decimal.js';
import { RepaymentMethod } from '@crm/contracts';
import { addMonths, daysBetween } from '../core/calendar';
import { toFen } from '../core/money';
import type { PlannedInstalment } from './bank.model';

/**
 * Monthly instalments from the first due date on. Interest accrues on the outstanding principal for the
 * actual days of each period on a 360-day year (the PBoC convention for RMB loans).
 */
export function buildSchedule(options: {
  principal: string;
  annualRate: string;
  disbursedOn: string;
  firstDueDate: string;
  instalments: number;
  method: RepaymentMethod;
}): PlannedInstalment[] {
  const rate = new Decimal(options.annualRate);
  const n = options.instalments;
  const dueDates = Array.from({ length: n }, (_, i) => addMonths(options.firstDueDate, i));
  const interestFor = (outstanding: Decimal, from: string, to: string) =>
    toFen(outstanding.times(rate).times(daysBetween(from, to)).dividedBy(360));

  // Equal instalment (annuity) at the monthly rate; principal is what is left after interest.
  const monthly = rate.dividedBy(12);
  const annuity = toFen(
    new Decimal(options.principal).times(monthly).dividedBy(new Decimal(1).minus(monthly.plus(1).pow(-n))),
  );
  const equalPrincipal = toFen(new Decimal(options.principal).dividedBy(n));

  let outstanding = new Decimal(options.principal);
  let periodStart = options.disbursedOn;
  return dueDates.map((dueDate, i) => {
    const last = i === n - 1;
    const interest = interestFor(outstanding, periodStart, dueDate);
    let principal: Decimal;
    if (last) principal = outstanding;
    else if (options.method === RepaymentMethod.EqualPrincipal) principal = equalPrincipal;
    else if (options.method === RepaymentMethod.EqualInstalment)
      principal = Decimal.max(annuity.minus(interest), 0);
    else principal = new Decimal(0);
    outstanding = outstanding.minus(principal);
    periodStart = dueDate;
    return { sequence: i + 1, dueDate, principal: principal.toFixed(2), interest: interest.toFixed(2) };
  });
}
