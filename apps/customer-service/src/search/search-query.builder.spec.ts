import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { LIFECYCLE_STAGES, VALUE_TIERS } from '@crm/contracts';
import { flattenValidationErrors } from '@crm/http';
import { AuthenticatedUser, DataScope, Role, resolveDataScope } from '@crm/security';
import { CustomerSearchFilterDto, CustomerSearchRequestDto } from './search-filter.dto';
import { buildSearchQuery } from './search-query.builder';

const hash = (value: string, kind: string) => `hash(${kind}:${value})`;
const caller = (roles: Role[], managerId?: string): AuthenticatedUser => ({
  userId: 'u1',
  roles,
  institutionId: 'B1',
  managerId,
  permissions: [],
});
const subtree = async () => ['B1', 'O11'];
let bank: DataScope;
let heads: DataScope;
let manager: DataScope;
beforeAll(async () => {
  bank = await resolveDataScope(caller([Role.HeadOfficeAdmin]), subtree);
  heads = await resolveDataScope(caller([Role.InstitutionHead]), subtree);
  manager = await resolveDataScope(caller([Role.RelationshipManager], 'M7'), subtree);
});
const build = (
  filter: Partial<CustomerSearchFilterDto>,
  scope: DataScope = bank,
  page?: { limit: number; afterCustomerId?: string },
) => buildSearchQuery('customer', filter as CustomerSearchFilterDto, scope, hash, '2026-06-15', page);

describe('buildSearchQuery', () => {
  it('puts the data scope of an institution head in the WHERE clause, as a parameter', () => {
    const { text, values } = build({}, heads);
    expect(text).toMatch(
      /WHERE \(cv\.primary_institution_id = ANY\(\$1::text\[\]\) OR EXISTS \(SELECT 1 FROM \(SELECT institution_id, manager_id FROM "customer"\.coverage_secondary WHERE customer_id = c\.id OFFSET 0\) cs WHERE TRUE AND cs\.institution_id = ANY\(\$1::text\[\]\)\)\)/,
    );
    expect(values[0]).toEqual(['B1', 'O11']);
  });

  it('restricts a relationship manager to the customers they cover', () => {
    const { text, values } = build({}, manager);
    expect(text).toContain('cv.primary_manager_id = $');
    expect(text).toContain('cs.manager_id = $');
    expect(values).toContain('M7');
  });

  it('limits amounts to the holdings the caller sees: secondary institutions only their own', () => {
    const { text } = build({ aum: { min: '1000.00' } }, heads);
    const lateral = text.slice(text.indexOf('CROSS JOIN LATERAL'), text.indexOf(') v'));
    expect(lateral).toContain('h.institution_id = ANY(');
    expect(text).toContain('(v.deposits + v.wealth) >= $');
  });

  it('has no scope condition for the whole bank', () => {
    expect(build({}).text).toMatch(/WHERE TRUE\nORDER BY c\.id$/);
  });

  it('combines every condition class with AND, values always as parameters', () => {
    const { text, values } = build(
      {
        kind: 'individual',
        gender: 'female',
        age: { min: 30, max: 40 },
        regionCodes: ['330106'],
        aum: { min: '100.00', max: '200.00' },
        depositBalance: { min: '1.00' },
        loanBalance: { max: '0.00' },
        holds: { productKinds: ['time-deposit'] },
        doesNotHold: { productCodes: ['WM-1'] },
        cardStatuses: ['overdue'],
        tags: ['vip'],
        valueTiers: ['top'],
        lifecycleStages: ['mature'],
        churnScore: { min: 60, max: 90 },
        coverage: { institutionId: 'B1', managerId: 'M1', keyCustomer: true },
        activity: {
          lastTransactionAfter: '2026-01-01T00:00:00+08:00',
          lastTransactionBefore: '2026-06-01T00:00:00+08:00',
          transactionCount: { from: '2026-01-01T00:00:00+08:00', to: '2026-02-01T00:00:00+08:00', min: 3 },
        },
        maturingWithinDays: 30,
      },
      bank,
    );
    expect(text.startsWith('WITH RECURSIVE subtree(id)')).toBe(true);
    for (const fragment of [
      'c.kind = $',
      'c.gender = $',
      'c.birth_date <= ',
      'c.birth_date > ',
      'c.region_code = ANY(',
      'v.deposits >= $',
      'v.loans <= $',
      'h2.product_kinds && $',
      'NOT EXISTS (SELECT 1 FROM "customer".holding_summary h2',
      'k.status = ANY(',
      'tg.tag = ANY(',
      'c.value_tier = ANY(',
      'c.lifecycle_stage = ANY(',
      'ap.churn_score >= $',
      'ap.churn_score <= $',
      'IN (SELECT id FROM subtree)',
      'COALESCE(cv.key_customer, false) = $',
      'v.last_transaction_at >= $',
      'v.last_transaction_at < $',
      'FROM "customer".account_transaction tx',
      'a.maturity_date BETWEEN',
    ]) {
      expect(text).toContain(fragment);
    }
    expect(values).toEqual(
      expect.arrayContaining(['individual', 'female', 30, 41, ['330106'], '100.00', '200.00']),
    );
    // Nothing the caller typed is spliced into the SQL text.
    expect(text).not.toContain('330106');
    expect(text).not.toContain('vip');
  });

  it('looks up ID and phone numbers by keyed hash, never by plaintext', () => {
    const { text, values } = build({ idNumber: '110105199003071234', phone: '13812345678' });
    expect(text).toContain('c.id_number_hash = $');
    expect(text).toContain('c.phone_hash = $');
    expect(values).toEqual(['hash(id-number:110105199003071234)', 'hash(phone:13812345678)']);
  });

  it('pages by customer id after the cursor and asks for one row more than the page', () => {
    const { text, values } = build({}, bank, { limit: 50, afterCustomerId: 'C9' });
    expect(text).toMatch(/AND c\.id > \$1\nORDER BY c\.id LIMIT \$2$/);
    expect(values).toEqual(['C9', 51]);
  });

  it('bounds the coverage join by the cursor too, so a deep page does not read coverage from its start', () => {
    const { text } = build({}, bank, { limit: 50, afterCustomerId: 'C9' });
    expect(text).toContain(
      'LEFT JOIN "customer".coverage cv ON cv.customer_id = c.id AND cv.customer_id > $1',
    );
  });

  it('has no LIMIT for an export', () => {
    expect(build({}).text).not.toContain('LIMIT');
  });

  describe('ids only (target lists)', () => {
    const ids = (filter: Partial<CustomerSearchFilterDto>, scope: DataScope = heads) =>
      buildSearchQuery(
        'customer',
        filter as CustomerSearchFilterDto,
        scope,
        hash,
        '2026-06-15',
        undefined,
        'ids',
      );

    it('selects the id and primary institution alone, and skips the holdings sums no condition needs', () => {
      const { text, values } = ids({ kind: 'individual', tags: ['payroll'] });
      expect(text).toMatch(/^SELECT c\.id, cv\.primary_institution_id\nFROM/);
      expect(text).not.toContain('LATERAL');
      expect(text).not.toContain('phone_enc');
      expect(values).toEqual([['B1', 'O11'], 'individual', ['payroll']]);
    });

    it.each([
      ['an amount', { loanBalance: { max: '0.00' } }],
      ['the last transaction', { activity: { lastTransactionAfter: '2026-01-01T00:00:00Z' } }],
    ])('computes the sums, in the scope’s view of holdings, for a condition on %s', (_what, filter) => {
      const { text } = ids(filter);
      const lateral = text.slice(text.indexOf('CROSS JOIN LATERAL'), text.indexOf(') v'));
      expect(lateral).toContain('h.institution_id = ANY(');
    });
  });
});

describe('CustomerSearchRequestDto validation', () => {
  const errorsOf = (body: unknown) =>
    flattenValidationErrors(
      validateSync(plainToInstance(CustomerSearchRequestDto, body), {
        whitelist: true,
        forbidNonWhitelisted: true,
      }),
    );

  it('accepts a well-formed filter', () => {
    expect(
      errorsOf({ filter: { aum: { min: '1.00', max: '2.00' }, age: { min: 20, max: 20 } }, pageSize: 10 }),
    ).toEqual([]);
  });

  it('accepts every value tier and lifecycle stage of the analytics contract', () => {
    expect(
      errorsOf({ filter: { valueTiers: [...VALUE_TIERS], lifecycleStages: [...LIFECYCLE_STAGES] } }),
    ).toEqual([]);
  });

  it.each([
    [{ filter: { aum: { min: '200.00', max: '100.00' } } }, 'filter.aum.max'],
    [{ filter: { age: { min: 50, max: 40 } } }, 'filter.age.max'],
    [{ filter: { loanBalance: { min: '-1' } } }, 'filter.loanBalance.min'],
    [{ filter: { depositBalance: { max: 1000 } } }, 'filter.depositBalance.max'],
    [{ filter: { colour: 'red' } }, 'filter.colour'],
    [{ filter: { holds: { productKinds: ['yacht'] } } }, 'filter.holds.productKinds'],
    [{ filter: { regionCodes: ['12'] } }, 'filter.regionCodes'],
    [{ filter: { valueTiers: ['platinum'] } }, 'filter.valueTiers'],
    [{ filter: { lifecycleStages: ['dormant'] } }, 'filter.lifecycleStages'],
    [{ filter: { churnScore: { min: 80, max: 20 } } }, 'filter.churnScore.max'],
    [{ filter: { churnScore: { min: 101 } } }, 'filter.churnScore.min'],
    [
      {
        filter: {
          activity: { transactionCount: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
        },
      },
      'filter.activity.transactionCount.to',
    ],
    [{ pageSize: 1000 }, 'pageSize'],
  ])('names the field at fault: %j', (body, field) => {
    expect(errorsOf(body).map((e) => e.field)).toContain(field);
  });
});
