import { AlertKind, LoanClassification, RepaymentMethod } from '@crm/contracts';
import { addDays, cstDateOf, monthOf } from '../core/calendar';
import { BUSINESS_LOAN } from '../population/product-catalogue';
import type { ScenarioDefinition } from './scenario.types';

export const loanOverdueAndDowngradeScenario: ScenarioDefinition = {
  name: 'loan-overdue-and-downgrade',
  summary:
    'A business loan taken out a month ago falls due in two days (reminder); the borrower cannot pay, so the day ' +
    'after it is unpaid interest, overdue and normal -> special-mention; 17 days later special-mention -> substandard.',
  tell(story) {
    const customer = story.individual({ minAge: 35, maxAge: 55 });
    const current = story.currentAccount(customer, '3200.00');
    const firstDueDate = addDays(story.startDate, 2);
    const loan = story.loan(customer, current, {
      principal: '240000.00',
      rate: '0.0450',
      months: 12,
      method: RepaymentMethod.EqualPrincipal,
      productCode: BUSINESS_LOAN.code,
      productName: BUSINESS_LOAN.name,
      disbursedOn: addDays(story.startDate, -29),
      firstDueDate,
    });
    story.expect(
      AlertKind.LoanInstalmentDue,
      customer,
      loan.loanId,
      firstDueDate,
      'instalment 1 is due in 2 days (lead 3)',
    );

    // Core banking's collection run on the due date finds 3200.00 on the account: nothing is debited.
    const overdue = { instalment: loan.schedule[0], reported: new Set<number>() };
    loan.overdue.push(overdue);
    loan.nextSequence = 2;
    const dayAfter = story.onDay(3, 1, 30);
    story.record(story.ops.interestUnpaid(loan, overdue, dayAfter));
    story.record(story.ops.overdueNotice(loan, overdue, 1, dayAfter));
    story.record(story.ops.reclassify(loan, LoanClassification.SpecialMention, dayAfter, '第1期逾期1天'));
    story.expect(
      AlertKind.LoanInterestUnpaid,
      customer,
      loan.loanId,
      monthOf(firstDueDate),
      "instalment 1's interest unpaid",
    );
    story.expect(AlertKind.LoanOverdue, customer, loan.loanId, firstDueDate, 'instalment 1 overdue');
    story.expect(
      AlertKind.LoanClassificationDowngrade,
      customer,
      loan.loanId,
      `${LoanClassification.SpecialMention}@${cstDateOf(dayAfter)}`,
      'normal -> special-mention',
    );

    const review = story.onDay(20, 10);
    story.record(
      story.ops.reclassify(loan, LoanClassification.Substandard, review, '借款人经营停止，风险评估下调'),
    );
    story.expect(
      AlertKind.LoanClassificationDowngrade,
      customer,
      loan.loanId,
      `${LoanClassification.Substandard}@${cstDateOf(review)}`,
      'special-mention -> substandard',
    );
  },
};
