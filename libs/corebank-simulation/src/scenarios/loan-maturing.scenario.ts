import { AlertKind, RepaymentMethod } from '@crm/contracts';
import { addDays } from '../core/calendar';
import { WORKING_CAPITAL_LOAN } from '../population/product-catalogue';
import type { ScenarioDefinition } from './scenario.types';

export const loanMaturingScenario: ScenarioDefinition = {
  name: 'loan-maturing',
  summary:
    "A company's 3-month bullet working-capital loan matures in 20 days: one loan-maturity reminder (lead 30); " +
    'its single instalment is 20 days out, beyond the 3-day instalment lead, so no instalment reminder.',
  tell(story) {
    const company = story.corporate();
    const current = story.currentAccount(company, '380000.00');
    const maturity = addDays(story.startDate, 20);
    const loan = story.loan(company, current, {
      principal: '2000000.00',
      rate: '0.0385',
      months: 1,
      method: RepaymentMethod.InterestOnlyBullet,
      productCode: WORKING_CAPITAL_LOAN.code,
      productName: WORKING_CAPITAL_LOAN.name,
      disbursedOn: addDays(maturity, -91),
      firstDueDate: maturity,
    });
    story.expect(
      AlertKind.LoanMaturity,
      company,
      loan.loanId,
      maturity,
      'the loan matures in 20 days (lead 30)',
    );
    story.receiveFromOtherBank(current, '86000.00', story.wait(3), undefined, '货款');
  },
};
