import { calendar } from '../testing/rule-fixtures';
import {
  EVENT_SAMPLES,
  EventTypes,
  LOAN_CLASSIFICATION_ORDER,
  type LoanClassification,
  type LoanClassificationChangedPayload,
} from '@crm/contracts';
import { loanClassificationDowngradeRule } from './loan-classification-downgrade.rule';

const change = (from: LoanClassification, to: LoanClassification) =>
  loanClassificationDowngradeRule(
    {
      ...(EVENT_SAMPLES[EventTypes.LoanClassificationChanged] as unknown as LoanClassificationChangedPayload),
      from,
      to,
      effectiveOn: '2025-03-04',
    },
    calendar,
  );

describe('loanClassificationDowngradeRule', () => {
  const steps = LOAN_CLASSIFICATION_ORDER.slice(1).map((to, i) => [LOAN_CLASSIFICATION_ORDER[i], to]);

  it.each(steps)('raises for the one-step downgrade %s -> %s, keyed `<to>@<effectiveOn>`', (from, to) => {
    expect(change(from, to)).toMatchObject({
      kind: 'loan-classification-downgrade',
      periodKey: `${to}@2025-03-04`,
    });
  });

  it('raises for a jump of several tiers', () => {
    expect(change('normal', 'doubtful')?.periodKey).toBe('doubtful@2025-03-04');
  });

  it('stays quiet for an upgrade or no change', () => {
    expect(change('substandard', 'special-mention')).toBeNull();
    expect(change('normal', 'normal')).toBeNull();
  });
});
