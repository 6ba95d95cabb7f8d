import { calendar } from '../testing/rule-fixtures';
import { EVENT_SAMPLES, EventTypes, type CardOverduePayload } from '@crm/contracts';
import { cardOverdueRule } from './card-overdue.rule';

describe('cardOverdueRule', () => {
  it('raises one alert per statement, keyed on its due date', () => {
    const sample = EVENT_SAMPLES[EventTypes.CardOverdue] as unknown as CardOverduePayload;
    const first = cardOverdueRule({ ...sample, dueDate: '2025-03-25', daysOverdue: 1 }, calendar);
    const later = cardOverdueRule({ ...sample, dueDate: '2025-03-25', daysOverdue: 30 }, calendar);
    expect(first).toMatchObject({ kind: 'card-overdue', subjectRef: sample.cardId, periodKey: '2025-03-25' });
    expect(later.periodKey).toBe(first.periodKey);
  });
});
