import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import {
  CLOUDEVENTS_SPEC_VERSION,
  EventEnvelope,
  EventType,
  EventTypes,
  InstitutionLevel,
  ManagerRole,
  eventDefinitionOf,
} from '@crm/contracts';
import { connectGrpcServer, createTestApp } from '@crm/http';
import { EventPublisher, connectEventConsumer, ensureTopics } from '@crm/messaging';
import { AccessTokenClaims, Role, signDevToken } from '@crm/security';
import {
  TestSchema,
  createTestSchema,
  deleteTopicsWithPrefix,
  testKafka,
  uniqueSuffix,
  freePort,
} from '@crm/testing';
import { AppModule } from '../app.module';
import { ASSIGNMENT_PROTO_PACKAGE, ASSIGNMENT_PROTO_PATH } from '../grpc/assignment-grpc.controller';
import { ASSIGNMENT_MIGRATIONS } from '../migrations';

const JWT = {
  JWT_SECRET: 'assignment-test-secret-0123456789abcdef',
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
};

/** The service's configuration for a test file: its own topics, test secrets. Set before the module compiles. */
export function configureTestEnv(prefix: string): void {
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    KAFKA_TOPIC_PREFIX: prefix,
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    ...JWT,
  });
}

export interface RunningService {
  app: INestApplication;
  /** host:port of the service's gRPC server. */
  grpcAddress: string;
  db: TestSchema;
  dataSource: DataSource;
  stop(): Promise<void>;
}

/** One instance of the service on its own schema, consuming the prefixed topics in its own consumer group. */
export async function startService(name: string): Promise<RunningService> {
  const db = await createTestSchema(name, { migrations: ASSIGNMENT_MIGRATIONS });
  process.env.DATABASE_SCHEMA = db.schema;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = await createTestApp(moduleRef, { serviceName: 'assignment-service' });
  const grpcPort = await freePort();
  // Each instance its own consumer group, so a second instance replays the topics.
  connectEventConsumer(app, { groupId: `${process.env.KAFKA_TOPIC_PREFIX}assignment-${uniqueSuffix()}` });
  connectGrpcServer(app, {
    package: ASSIGNMENT_PROTO_PACKAGE,
    protoPath: ASSIGNMENT_PROTO_PATH,
    port: grpcPort,
    host: '127.0.0.1',
  });
  await app.startAllMicroservices();
  return {
    app,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    db,
    dataSource: db.dataSource,
    async stop() {
      await app.close();
      await db.drop();
    },
  };
}

/** Publishes contract events to the file's prefixed topics, as core banking would. */
export class CorebankFeed {
  readonly kafka = testKafka();
  private readonly publisher = new EventPublisher(this.kafka);
  private readonly ensured = new Set<string>();
  private clock = Date.parse('2026-06-01T09:00:00+08:00');

  constructor(readonly prefix: string) {}

  /** An envelope with a fresh id and a time after every earlier one (the order core banking stated things in). */
  event<T extends object>(type: EventType, subject: string, data: T): EventEnvelope<T> {
    this.clock += 1000;
    return {
      id: randomUUID(),
      source: '/corebank/test',
      type,
      specversion: CLOUDEVENTS_SPEC_VERSION,
      time: new Date(this.clock).toISOString(),
      subject,
      data,
    };
  }

  async publish(...events: EventEnvelope<object>[]): Promise<void> {
    const outgoing = events.map((envelope) => ({
      topic: `${this.prefix}${eventDefinitionOf(envelope.type)!.topic}`,
      envelope,
    }));
    const missing = [...new Set(outgoing.map((o) => o.topic))].filter((t) => !this.ensured.has(t));
    if (missing.length > 0) {
      await ensureTopics(this.kafka, missing);
      missing.forEach((t) => this.ensured.add(t));
    }
    await this.publisher.publish(outgoing);
  }

  async close(): Promise<void> {
    await this.publisher.disconnect();
    await deleteTopicsWithPrefix(this.kafka, this.prefix);
  }
}

export const testPrefix = (name: string): string => `test.${name}-${uniqueSuffix()}.`;

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

export function organisationEvents(feed: CorebankFeed): EventEnvelope<object>[] {
  const institution = (institutionId: string, level: InstitutionLevel, parentId: string | null) =>
    feed.event(EventTypes.InstitutionUpserted, institutionId, {
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
      feed.event(EventTypes.ManagerUpserted, m.id, {
        managerId: m.id,
        name: `Manager ${m.id}`,
        institutionId: m.institutionId,
        roles: m.roles,
        active: true,
      }),
    ),
  ];
}

const cny = (amount: string) => ({ amount, currency: 'CNY' });

/** Builders of the core-banking events the fixtures use, valid against the contracts. */
export const corebank = {
  accountOpened: (
    feed: CorebankFeed,
    a: {
      accountId: string;
      customerId: string;
      institutionId: string;
      balance: string;
      openedOn?: string;
      managerId?: string;
    },
  ) =>
    feed.event(EventTypes.AccountOpened, a.customerId, {
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
  accountClosed: (feed: CorebankFeed, a: { accountId: string; customerId: string; institutionId: string }) =>
    feed.event(EventTypes.AccountClosed, a.customerId, {
      ...a,
      kind: 'savings',
      closedOn: '2026-06-02',
      reason: 'customer-request',
      closingBalance: cny('0.00'),
    }),
  transactionPosted: (
    feed: CorebankFeed,
    t: { accountId: string; customerId: string; institutionId: string; amount: string; balanceAfter: string },
  ) =>
    feed.event(EventTypes.TransactionPosted, t.customerId, {
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
    feed: CorebankFeed,
    l: { loanId: string; customerId: string; institutionId: string; managerId: string; principal: string },
  ) =>
    feed.event(EventTypes.LoanDisbursed, l.customerId, {
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
    feed: CorebankFeed,
    c: { cardId: string; customerId: string; institutionId: string; managerId: string; creditLimit: string },
  ) =>
    feed.event(EventTypes.CardIssued, c.customerId, {
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

/** A signed token of the test issuer. */
export function tokenFor(claims: Omit<AccessTokenClaims, 'sub'> & { sub?: string }): string {
  return signDevToken({ sub: claims.sub ?? `user-${claims.roles[0]}-${claims.inst}`, ...claims }, JWT);
}

export const CALLERS = {
  managerA1: tokenFor({
    roles: [Role.RelationshipManager],
    inst: ORG.outletA1,
    mgr: MANAGERS.a1.id,
    sub: MANAGERS.a1.id,
  }),
  managerA2: tokenFor({
    roles: [Role.RelationshipManager],
    inst: ORG.outletA2,
    mgr: MANAGERS.a2.id,
    sub: MANAGERS.a2.id,
  }),
  managerB1: tokenFor({
    roles: [Role.RelationshipManager],
    inst: ORG.outletB1,
    mgr: MANAGERS.b1.id,
    sub: MANAGERS.b1.id,
  }),
  headA: tokenFor({ roles: [Role.InstitutionHead], inst: ORG.branchA, sub: 'head-A' }),
  headB: tokenFor({ roles: [Role.InstitutionHead], inst: ORG.branchB, sub: 'head-B' }),
  headC: tokenFor({ roles: [Role.InstitutionHead], inst: ORG.branchC, sub: 'head-C' }),
  admin: tokenFor({ roles: [Role.HeadOfficeAdmin], inst: ORG.headOffice, sub: 'admin-1' }),
  system: tokenFor({ roles: [Role.System], inst: ORG.headOffice, sub: 'core-system' }),
  lobby: tokenFor({ roles: [Role.LobbyManager], inst: ORG.outletA1, sub: 'lobby-1' }),
};
