import { EVENT_CATALOG, EventTypes, type EventType } from '../catalog';
import { EVENT_SAMPLES } from '../event-samples';
import { validateEventPayload, type PayloadProblem } from '../validate-payload';

const problemsOf = (type: EventType, data: unknown): PayloadProblem[] => {
  const result = validateEventPayload(type, data);
  return result.ok ? [] : result.problems;
};
const pathsOf = (type: EventType, data: unknown) => problemsOf(type, data).map((p) => p.path);
const sample = (type: EventType) => structuredClone(EVENT_SAMPLES[type]) as Record<string, unknown>;
const without = (data: Record<string, unknown>, key: string) => {
  const copy = { ...data };
  delete copy[key];
  return copy;
};

describe('event payload contracts', () => {
  it.each(EVENT_CATALOG.map((d) => [d.type]))('a valid sample of %s validates', (type) => {
    expect(problemsOf(type as EventType, EVENT_SAMPLES[type as EventType])).toEqual([]);
  });

  describe('typical bad inputs fail with the field named', () => {
    const posted = EventTypes.TransactionPosted;

    it('an amount with three decimals', () => {
      expect(pathsOf(posted, { ...sample(posted), amount: { amount: '12.345', currency: 'CNY' } })).toEqual([
        'amount.amount',
      ]);
    });

    it('an amount sent as a JSON number', () => {
      expect(pathsOf(posted, { ...sample(posted), amount: { amount: 100, currency: 'CNY' } })).toEqual([
        'amount.amount',
      ]);
      expect(pathsOf(posted, { ...sample(posted), amount: 100 })).toEqual(['amount']);
    });

    it('a currency that is not ISO 4217 shaped', () => {
      expect(pathsOf(posted, { ...sample(posted), amount: { amount: '12.00', currency: 'rmb' } })).toEqual([
        'amount.currency',
      ]);
    });

    it('a resident ID number with a wrong check digit', () => {
      const registered = EventTypes.CustomerRegistered;
      const problems = problemsOf(registered, { ...sample(registered), idNumber: '110101199003074478' });
      expect(problems).toEqual([{ path: 'idNumber', messages: [expect.stringMatching(/GB 11643/)] }]);
    });

    it('a missing customerId', () => {
      expect(pathsOf(posted, without(sample(posted), 'customerId'))).toEqual(['customerId']);
    });

    it('a negative amount where only non-negative money is allowed, while a negative balance is fine', () => {
      expect(
        pathsOf(posted, {
          ...sample(posted),
          amount: { amount: '-5.00', currency: 'CNY' },
          balanceAfter: { amount: '-5.00', currency: 'CNY' },
        }),
      ).toEqual(['amount.amount']);
    });

    it('a booking time without a zone and a value date that does not exist', () => {
      expect(
        pathsOf(posted, {
          ...sample(posted),
          bookingDate: '2025-03-01T09:30:12',
          valueDate: '2025-02-29',
        }).sort(),
      ).toEqual(['bookingDate', 'valueDate']);
    });

    it('values outside their code lists', () => {
      expect(
        pathsOf(posted, {
          ...sample(posted),
          creditDebitIndicator: 'CREDIT',
          channel: 'fax',
          bankTransactionCode: 'SALARY',
        }).sort(),
      ).toEqual(['bankTransactionCode', 'channel', 'creditDebitIndicator']);
    });

    it('a payload that is not an object', () => {
      expect(pathsOf(posted, [])).toEqual(['']);
      expect(pathsOf(posted, null)).toEqual(['']);
    });
  });

  describe('fields required by kind', () => {
    it('a time deposit needs a maturity date; a current account does not', () => {
      const opened = EventTypes.AccountOpened;
      expect(pathsOf(opened, without(sample(opened), 'maturityDate'))).toEqual(['maturityDate']);
      expect(pathsOf(opened, { ...without(sample(opened), 'maturityDate'), kind: 'current' })).toEqual([]);
    });

    it('an individual needs ID number, gender and birth date; a corporate needs credit code and industry', () => {
      const registered = EventTypes.CustomerRegistered;
      const individual = sample(registered);
      expect(pathsOf(registered, without(without(individual, 'idNumber'), 'birthDate')).sort()).toEqual([
        'birthDate',
        'idNumber',
      ]);
      expect(pathsOf(registered, { ...individual, kind: 'corporate' }).sort()).toEqual([
        'industry',
        'unifiedSocialCreditCode',
      ]);
    });

    it('a transfer to another bank names that bank', () => {
      const posted = EventTypes.TransactionPosted;
      const data = sample(posted);
      data.counterparty = { agent: { sameBank: false } };
      expect(pathsOf(posted, data)).toEqual(['counterparty.agent.bankCode']);
      data.counterparty = { agent: { sameBank: true } };
      expect(pathsOf(posted, data)).toEqual([]);
    });

    it('the head office has a null parent, every other institution a parent id', () => {
      const upserted = EventTypes.InstitutionUpserted;
      expect(pathsOf(upserted, { ...sample(upserted), parentId: null })).toEqual(['parentId']);
      expect(pathsOf(upserted, { ...sample(upserted), level: 'head-office', parentId: null })).toEqual([]);
      expect(pathsOf(upserted, { ...sample(upserted), level: 'head-office' })).toEqual(['parentId']);
      expect(pathsOf(upserted, without(sample(upserted), 'parentId'))).toEqual(['parentId']);
    });

    it('an instalment schedule is validated item by item', () => {
      const disbursed = EventTypes.LoanDisbursed;
      const data = sample(disbursed);
      (data.schedule as Record<string, unknown>[])[1].dueDate = '20250320';
      expect(pathsOf(disbursed, data)).toEqual(['schedule.1.dueDate']);
      expect(pathsOf(disbursed, { ...sample(disbursed), schedule: [] })).toEqual(['schedule']);
    });

    it('an alert has a known kind', () => {
      const raised = EventTypes.AlertRaised;
      expect(pathsOf(raised, { ...sample(raised), kind: 'big-inflow' })).toEqual(['kind']);
    });
  });

  it('an unknown event type is a problem, not a crash', () => {
    expect(validateEventPayload('bank.corebank.nothing.v1', {})).toEqual({
      ok: false,
      problems: [{ path: '', messages: ['unknown event type bank.corebank.nothing.v1'] }],
    });
  });
});
