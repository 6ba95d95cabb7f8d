import request from 'supertest';
import { CoverageChangedPayload } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { eventually } from '@crm/testing';
import { CALLERS, MANAGERS, ORG, assignmentHarness, corebank, seedOrganisation } from './bank.fixture';

/**
 * The customers of the access tests (role × scope), each test file seeding them on its own instance:
 * - C-LC: loan at 810200 (RM-A2, primary), card at 820100 (RM-B1, secondary).
 * - C-BIG: loan of 8,000,000.00 at 810100 by RM-A1: above the visit-duty threshold.
 * - C-BIG2: loan of 9,000,000.00 at 810200 by RM-A2, never visited: always in the visit-duty report.
 * - C-BIG3: loan of 6,000,000.00 at 820100 by RM-B1: visited during the test until the duty is met.
 * - C-KEYB: 2,000,000.00 deposited at 820100: a key customer of branch B.
 */
export const C_LC = 'C-LC';
export const C_BIG = 'C-BIG';
export const C_BIG2 = 'C-BIG2';
export const C_BIG3 = 'C-BIG3';
export const C_KEYB = 'C-KEYB';

/** The organisation and the access tests' customers, each covered before the call returns. */
export async function seedAccessCustomers(service: ServiceHarness): Promise<void> {
  await seedOrganisation(service);
  const { clock } = service;
  await service.publish(
    corebank.loanDisbursed(clock, {
      loanId: 'L-LC',
      customerId: C_LC,
      institutionId: ORG.outletA2,
      managerId: MANAGERS.a2.id,
      principal: '200000.00',
    }),
    corebank.cardIssued(clock, {
      cardId: 'K-LC',
      customerId: C_LC,
      institutionId: ORG.outletB1,
      managerId: MANAGERS.b1.id,
      creditLimit: '50000.00',
    }),
    corebank.loanDisbursed(clock, {
      loanId: 'L-BIG',
      customerId: C_BIG,
      institutionId: ORG.outletA1,
      managerId: MANAGERS.a1.id,
      principal: '8000000.00',
    }),
    corebank.loanDisbursed(clock, {
      loanId: 'L-BIG2',
      customerId: C_BIG2,
      institutionId: ORG.outletA2,
      managerId: MANAGERS.a2.id,
      principal: '9000000.00',
    }),
    corebank.loanDisbursed(clock, {
      loanId: 'L-BIG3',
      customerId: C_BIG3,
      institutionId: ORG.outletB1,
      managerId: MANAGERS.b1.id,
      principal: '6000000.00',
    }),
    corebank.accountOpened(clock, {
      accountId: 'A-KEYB',
      customerId: C_KEYB,
      institutionId: ORG.outletB1,
      balance: '2000000.00',
      managerId: MANAGERS.b1.id,
    }),
  );
  await eventually(async () => {
    const rows = await service.query<{ customer_id: string; members: number }>(
      `SELECT customer_id, count(*)::int AS members FROM $schema.coverage_member GROUP BY customer_id`,
    );
    const members = Object.fromEntries(rows.map((r) => [r.customer_id, r.members]));
    return members[C_LC] === 2 && [C_BIG, C_BIG2, C_BIG3, C_KEYB].every((c) => members[c] === 1);
  });
}

/**
 * The service of one access test file: started and seeded (by default with the access customers)
 * before the file's tests, removed after them.
 */
export function accessTestService(
  name: string,
  seed: (service: ServiceHarness) => Promise<void> = seedAccessCustomers,
): { service: ServiceHarness; http: () => request.Agent } {
  const service = assignmentHarness(name);
  beforeAll(async () => {
    await service.start();
    await seed(service);
  });
  afterAll(() => service.destroy());
  return { service, http: () => request(service.app.getHttpServer()) };
}

export type Caller = keyof typeof CALLERS | 'anonymous';
export const ALL_CALLERS: Caller[] = [
  'managerA1',
  'managerA2',
  'managerB1',
  'headA',
  'headB',
  'headC',
  'admin',
  'system',
  'lobby',
  'anonymous',
];

/** The request with the caller's token (none for anonymous). */
export const asCaller = (caller: Caller, req: request.Test): request.Test =>
  caller === 'anonymous' ? req : req.set('Authorization', `Bearer ${CALLERS[caller]}`);

export const customerIdsOf = (body: { items: CoverageChangedPayload[] }): string[] =>
  body.items.map((c) => c.customerId).sort();

/** A valid change of the bank's parameters, with its reason. */
export function parametersChange(reason: string) {
  return {
    keyCustomerAssetThreshold: '1000000.00',
    keyCustomerLoanThreshold: '5000000.00',
    keyCustomerCleanYears: 3,
    visitDutyLoanThreshold: '5000000.00',
    visitDutyMinVisitsPerMonth: 2,
    reason,
  };
}

/** One test per case: the request, sent by head office, is a 400 in problem details naming the field. */
export function itNamesTheBadField(cases: [name: string, send: () => request.Test, field: string][]): void {
  it.each(cases)('%s', async (_, send, field) => {
    const res = await asCaller('admin', send());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
}
