import { AuthenticatedUser, Permission, PiiPresenter, Role } from '@crm/security';
import { AnalyticProfileRow } from '../analytics/analytic-profile.repository';
import { present360, presentAnalytics } from './customer-360.presenter';
import { CustomerRecord, Holdings } from './customer.repository';

const record: CustomerRecord = {
  customer: {
    id: 'C1',
    kind: 'individual',
    name: '王小明',
    gender: 'male',
    birth_date: '1980-06-15',
    industry: null,
    region_code: '330106',
    home_institution_id: 'O11',
    id_number_enc: 'v1:x:y',
    phone_enc: 'v1:x:y',
    registered_on: '2010-01-01',
    value_tier: null,
    lifecycle_stage: null,
    key_customer: false,
  },
  coverage: {
    primaryInstitutionId: 'O11',
    primaryManagerId: 'M1',
    privateBankerId: null,
    secondary: [{ institutionId: 'O21', managerId: null }],
    keyCustomer: false,
  },
};

const holdings: Holdings = {
  accounts: [
    {
      id: 'A1',
      institution_id: 'O21',
      kind: 'savings',
      product_code: 'SV',
      product_name: '活期',
      status: 'active',
      balance: '100.10',
      currency: 'CNY',
      opened_on: null,
      closed_on: null,
      maturity_date: null,
    },
    {
      id: 'A2',
      institution_id: 'O21',
      kind: 'wealth-product',
      product_code: 'WM',
      product_name: '理财',
      status: 'active',
      balance: '50000.00',
      currency: 'CNY',
      opened_on: null,
      closed_on: null,
      maturity_date: '2027-01-01',
    },
    {
      id: 'A3',
      institution_id: 'O21',
      kind: 'savings',
      product_code: 'SV',
      product_name: '活期',
      status: 'closed',
      balance: '0',
      currency: 'CNY',
      opened_on: null,
      closed_on: '2026-01-01',
      maturity_date: null,
    },
  ],
  loans: [],
  cards: [
    {
      id: 'K1',
      institution_id: 'O21',
      product_name: '信用卡',
      masked_card_number: '622588******1234',
      status: 'active',
      credit_limit: '10000.00',
      statement_balance: '0',
      outstanding_balance: '-5.00',
      due_date: null,
    },
  ],
  transactions: {
    count: 0,
    credits: '0',
    debits: '0',
    last_id: null,
    last_account_id: null,
    last_direction: null,
    last_amount: null,
    last_booked_at: null,
  },
};

const user = (permissions: Permission[]): AuthenticatedUser => ({
  userId: 'u1',
  roles: [Role.InstitutionHead],
  institutionId: 'O21',
  permissions,
});

const view = (permissions: Permission[], visibility: Parameters<typeof present360>[0]['visibility']) => {
  const presenter = new PiiPresenter(user(permissions));
  return {
    presenter,
    dto: present360({
      record,
      pii: { idNumber: '110105198006151234', phone: '13812345678' },
      presenter,
      visibility,
      holdings,
      recentDays: 90,
      tags: [],
      consent: [],
      analytics: undefined,
      today: '2026-06-14',
    }),
  };
};

describe('present360', () => {
  it('masks ID and phone numbers and the birth date without pii:read and asks for no audit', () => {
    const { dto, presenter } = view([], { kind: 'institutions', institutionIds: ['O21'] });
    expect(dto.profile.idNumber).toBe('110***********1234');
    expect(dto.profile.phone).toBe('138****5678');
    expect(dto.profile.birthDate).toBe('1980-**-**');
    expect(dto.profile.age).toBe(45);
    expect(presenter.auditRequired).toBe(false);
  });

  it('reveals them with pii:read and records that the read must be audited', () => {
    const { dto, presenter } = view([Permission.PiiRead], { kind: 'all' });
    expect(dto.profile.idNumber).toBe('110105198006151234');
    expect(dto.profile.birthDate).toBe('1980-06-15');
    expect(presenter.revealedFields).toEqual(['birthDate', 'idNumber', 'phone']);
  });

  it('states a secondary institution’s partial visibility beside the totals of what it sees', () => {
    const { dto } = view([], { kind: 'institutions', institutionIds: ['O21'] });
    expect(dto.holdings.visibility).toBe('institutions');
    expect(dto.holdings.visibleInstitutionIds).toEqual(['O21']);
    expect(dto.holdings.totals).toEqual({
      aum: '50100.10',
      deposits: '100.10',
      wealth: '50000.00',
      loans: '0.00',
      cards: '0.00',
    });
    expect(dto.holdings.accounts.map((a) => a.balance)).toEqual(['100.10', '50000.00', '0.00']);
  });

  it('says nothing about partial visibility to the primary side', () => {
    const { dto } = view([], { kind: 'all' });
    expect(dto.holdings.visibility).toBe('all');
    expect(dto.holdings.visibleInstitutionIds).toBeUndefined();
  });

  it('computes the age in whole years on the given business date', () => {
    expect(view([], { kind: 'all' }).dto.profile.age).toBe(45);
  });
});

describe('presentAnalytics', () => {
  const profile: AnalyticProfileRow = {
    business_date: '2026-06-13',
    computed_at: new Date('2026-06-13T15:41:07.000Z'),
    value_tier: 'important',
    lifecycle_stage: 'declining',
    rfm: { recency: 2, frequency: 3, monetary: 5, segment: 'at-risk' },
    tags: [
      { tag: 'loan', score: 40, facts: ['salary credited monthly', 'no loan held'] },
      { tag: 'wealth-management', score: 82, facts: ['demand deposits 620000.00 CNY idle for 90 days'] },
    ],
    churn_score: 71,
    churn_reasons: ['aum-fall', 'transfers-to-other-banks'],
  };

  it('gives the primary side the whole profile, tags strongest first with their facts', () => {
    expect(presentAnalytics(profile, { kind: 'all' })).toEqual({
      asOf: '2026-06-13',
      computedAt: '2026-06-13T15:41:07.000Z',
      valueTier: 'important',
      lifecycleStage: 'declining',
      rfm: { recency: 2, frequency: 3, monetary: 5, segment: 'at-risk' },
      tags: [
        { tag: 'wealth-management', score: 82, facts: ['demand deposits 620000.00 CNY idle for 90 days'] },
        { tag: 'loan', score: 40, facts: ['salary credited monthly', 'no loan held'] },
      ],
      churnScore: 71,
      churnReasons: ['aum-fall', 'transfers-to-other-banks'],
    });
  });

  it('withholds the facts, which state bank-wide figures, from a secondary institution', () => {
    const dto = presentAnalytics(profile, { kind: 'institutions', institutionIds: ['O21'] });
    expect(dto.tags).toEqual([
      { tag: 'wealth-management', score: 82, facts: null },
      { tag: 'loan', score: 40, facts: null },
    ]);
    expect(dto.churnScore).toBe(71);
  });

  it('has no section before analytics-service profiles the customer', () => {
    expect(view([], { kind: 'all' }).dto.analytics).toBeNull();
  });
});
