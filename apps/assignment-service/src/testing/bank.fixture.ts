import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventTypes, InstitutionLevel, ManagerRole } from '@crm/contracts';
import { Role } from '@crm/security';
import { ServiceHarness, ServiceHarnessOptions, testToken } from '@crm/service-harness';
import { EventClock, eventually } from '@crm/testing';
import { ASSIGNMENT_SERVICE } from '../service';

/** When the fixture bank's core-banking events begin (the harness clock's start). */
const FIXTURE_START = Date.parse('2026-06-01T09:00:00+08:00');

/** assignment-service for one test file, its event clock at the fixture bank's start. */
export function assignmentHarness(name: string, options: ServiceHarnessOptions = {}): ServiceHarness {
  return new ServiceHarness(ASSIGNMENT_SERVICE, { name, clockStart: FIXTURE_START, ...options });
}

/**
 * The fixture bank: head office 800000; branch A 810000 with outlets 810100, 810200; branch B 820000 with
 * outlet 820100; branch C 830000 with outlet 830100 (no customers).
 */
export const ORG = {
  headOffice: '800000',
  branchA: '810000',
  outletA1: '810100',
  outletA2: '810200',
  branchB: '820000',
  outletB1: '820100',
  branchC: '830000',
  outletC1: '830100',
} as const;

export const MANAGERS = {
  a1: { id: 'RM-A1', institutionId: ORG.outletA1, roles: [ManagerRole.RelationshipManager] },
  a1b: { id: 'RM-A1B', institutionId: ORG.outletA1, roles: [ManagerRole.RelationshipManager] },
  a2: { id: 'RM-A2', institutionId: ORG.outletA2, roles: [ManagerRole.RelationshipManager] },
  b1: { id: 'RM-B1', institutionId: ORG.outletB1, roles: [ManagerRole.RelationshipManager] },
  c1: { id: 'RM-C1', institutionId: ORG.outletC1, roles: [ManagerRole.RelationshipManager] },
  privateBanker: { id: 'PB-A', institutionId: ORG.branchA, roles: [ManagerRole.PrivateBanker] },
} as const;

function organisationEvents(clock: EventClock): EventEnvelope<object>[] {
  const institution = (institutionId: string, level: InstitutionLevel, parentId: string | null) =>
    clock.envelope(EventTypes.InstitutionUpserted, institutionId, {
      institutionId,
      name: `Institution ${institutionId}`,
      level,
      parentId,
      regionCode: '330106',
      active: true,
    });
  return [
    institution(ORG.headOffice, InstitutionLevel.HeadOffice, null),
    institution(ORG.branchA, InstitutionLevel.Branch, ORG.headOffice),
    institution(ORG.outletA1, InstitutionLevel.Outlet, ORG.branchA),
    institution(ORG.outletA2, InstitutionLevel.Outlet, ORG.branchA),
    institution(ORG.branchB, InstitutionLevel.Branch, ORG.headOffice),
    institution(ORG.outletB1, InstitutionLevel.Outlet, ORG.branchB),
    institution(ORG.branchC, InstitutionLevel.Branch, ORG.headOffice),
    institution(ORG.outletC1, InstitutionLevel.Outlet, ORG.branchC),
    ...Object.values(MANAGERS).map((m) =>
      clock.envelope(EventTypes.ManagerUpserted, m.id, {
        managerId: m.id,
        name: `Manager ${m.id}`,
        institutionId: m.institutionId,
        roles: m.roles,
        active: true,
      }),
    ),
  ];
}

/** The fixture bank's institutions and managers, known to the service before the call returns. */
export async function seedOrganisation(service: ServiceHarness): Promise<void> {
  await service.publish(...organisationEvents(service.clock));
  await eventually(
    async () =>
      (await service.query(`SELECT 1 FROM $schema.manager`)).length === Object.keys(MANAGERS).length,
  );
}

const cny = (amount: string) => ({ amount, currency: 'CNY' });

/** Builders of the core-banking events the fixtures use, valid against the contracts. */
export const corebank = {
  accountOpened: (
    clock: EventClock,
    a: {
      accountId: string;
      customerId: string;
      institutionId: string;
      balance: string;
      openedOn?: string;
      managerId?: string;
    },
  ) =>
    clock.envelope(EventTypes.AccountOpened, a.customerId, {
      accountId: a.accountId,
      customerId: a.customerId,
      institutionId: a.institutionId,
      kind: 'savings',
      currency: 'CNY',
      openedOn: a.openedOn ?? '2020-01-01',
      productCode: 'SAV01',
      productName: 'Savings',
      balance: cny(a.balance),
      ...(a.managerId ? { managerId: a.managerId } : {}),
    }),
  accountClosed: (clock: EventClock, a: { accountId: string; customerId: string; institutionId: string }) =>
    clock.envelope(EventTypes.AccountClosed, a.customerId, {
      ...a,
      kind: 'savings',
      closedOn: '2026-06-02',
      reason: 'customer-request',
      closingBalance: cny('0.00'),
    }),
  transactionPosted: (
    clock: EventClock,
    t: { accountId: string; customerId: string; institutionId: string; amount: string; balanceAfter: string },
  ) =>
    clock.envelope(EventTypes.TransactionPosted, t.customerId, {
      transactionId: `T-${randomUUID()}`,
      accountId: t.accountId,
      customerId: t.customerId,
      institutionId: t.institutionId,
      creditDebitIndicator: 'CRDT',
      amount: cny(t.amount),
      bookingDate: '2026-06-01T10:00:00.000+08:00',
      valueDate: '2026-06-01',
      bankTransactionCode: 'PMNT-CNTR-CDPT',
      channel: 'counter',
      balanceAfter: cny(t.balanceAfter),
    }),
  loanDisbursed: (
    clock: EventClock,
    l: { loanId: string; customerId: string; institutionId: string; managerId: string; principal: string },
  ) =>
    clock.envelope(EventTypes.LoanDisbursed, l.customerId, {
      ...l,
      principal: cny(l.principal),
      productCode: 'LN01',
      productName: 'Business loan',
      disbursedOn: '2025-01-10',
      maturityDate: '2028-01-10',
      interestRate: '0.0435',
      repaymentMethod: 'equal-instalment',
      schedule: [{ sequence: 1, dueDate: '2025-02-10', principal: cny('1000.00'), interest: cny('100.00') }],
      classification: 'normal',
    }),
  cardIssued: (
    clock: EventClock,
    c: { cardId: string; customerId: string; institutionId: string; managerId: string; creditLimit: string },
  ) =>
    clock.envelope(EventTypes.CardIssued, c.customerId, {
      ...c,
      productCode: 'CC01',
      productName: 'Credit card',
      maskedCardNumber: '622588******1234',
      issuedOn: '2024-03-01',
      creditLimit: cny(c.creditLimit),
      statementDay: 5,
      paymentDueDays: 20,
    }),
};

/** Tokens of the fixture bank's staff, by the role and scope each test needs. */
export const CALLERS = {
  managerA1: testToken({
    roles: [Role.RelationshipManager],
    inst: ORG.outletA1,
    mgr: MANAGERS.a1.id,
    sub: MANAGERS.a1.id,
  }),
  managerA2: testToken({
    roles: [Role.RelationshipManager],
    inst: ORG.outletA2,
    mgr: MANAGERS.a2.id,
    sub: MANAGERS.a2.id,
  }),
  managerB1: testToken({
    roles: [Role.RelationshipManager],
    inst: ORG.outletB1,
    mgr: MANAGERS.b1.id,
    sub: MANAGERS.b1.id,
  }),
  headA: testToken({ roles: [Role.InstitutionHead], inst: ORG.branchA, sub: 'head-A' }),
  headB: testToken({ roles: [Role.InstitutionHead], inst: ORG.branchB, sub: 'head-B' }),
  headC: testToken({ roles: [Role.InstitutionHead], inst: ORG.branchC, sub: 'head-C' }),
  admin: testToken({ roles: [Role.HeadOfficeAdmin], inst: ORG.headOffice, sub: 'admin-1' }),
  system: testToken({ roles: [Role.System], inst: ORG.headOffice, sub: 'core-system' }),
  lobby: testToken({ roles: [Role.LobbyManager], inst: ORG.outletA1, sub: 'lobby-1' }),
};
