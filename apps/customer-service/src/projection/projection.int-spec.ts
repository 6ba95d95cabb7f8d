import Decimal from 'decimal.js';
import request from 'supertest';
import {
  AccountClosedPayload,
  AccountOpenedPayload,
  CoverageChangedPayload,
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
  EventEnvelope,
  EventTypes,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { Permission, Role } from '@crm/security';
import { ServiceHarness, testToken } from '@crm/service-harness';
import { testStack, eventually } from '@crm/testing';
// The simulator is the realistic source of core-banking events for every service's tests.
import { KafkaEventSink, populationEvents } from '@crm/corebank-simulation';
import { CUSTOMER_SERVICE } from '../service';

/** Event types the service does not project (it has no use for them): the consumer skips them. */
const SKIPPED = new Set<string>([EventTypes.ManagerUpserted]);

const { initialLoad, stream } = populationEvents({
  seed: 23,
  customers: 25,
  start: Date.now() - 3 * 86_400_000,
});
const events: EventEnvelope<object>[] = [...initialLoad];
for (let i = 0; i < 400; i++) events.push(stream.next().value!);
const handled = events.filter((e) => !SKIPPED.has(e.type));

/** The account balances the event stream implies, folded independently of the service's code. */
function expectedBalances(): Map<string, string> {
  const balances = new Map<string, string>();
  for (const e of events) {
    if (e.type === EventTypes.AccountOpened) {
      const a = e.data as AccountOpenedPayload;
      if (!balances.has(a.accountId)) balances.set(a.accountId, a.balance.amount);
    } else if (e.type === EventTypes.TransactionPosted || e.type === EventTypes.TransactionReversed) {
      const t = e.data as TransactionPostedPayload | TransactionReversedPayload;
      balances.set(t.accountId, t.balanceAfter.amount);
    } else if (e.type === EventTypes.AccountClosed) {
      balances.set((e.data as AccountClosedPayload).accountId, '0');
    }
  }
  return balances;
}

const decimal = (amount: string) => new Decimal(amount).toFixed(2);

async function projectionState(h: ServiceHarness) {
  return {
    customers: await h.query(
      `SELECT id, kind, name, gender, birth_date::text, region_code, home_institution_id, id_number_hash, phone_hash
       FROM $schema.customer ORDER BY id`,
    ),
    accounts: await h.query<{ id: string; balance: string }>(
      `SELECT id, customer_id, institution_id, kind, status, balance::text, maturity_date::text FROM $schema.account ORDER BY id`,
    ),
    loans: await h.query(
      `SELECT id, outstanding::text, status, classification, days_overdue FROM $schema.loan ORDER BY id`,
    ),
    cards: await h.query(
      `SELECT id, status, statement_balance::text, outstanding_balance::text FROM $schema.card ORDER BY id`,
    ),
    summaries: await h.query(`SELECT * FROM $schema.holding_summary ORDER BY customer_id, institution_id`),
    transactions: await h.query(`SELECT count(*)::int AS n FROM $schema.account_transaction`),
    institutions: await h.query(`SELECT id, parent_id FROM $schema.institution ORDER BY id`),
  };
}

describe('customer-service projection from the simulator population (real Kafka and Postgres)', () => {
  const service = new ServiceHarness(CUSTOMER_SERVICE, { name: 'projection', captureLog: true });
  let replica: ServiceHarness | undefined;
  const sinkFor = (prefix: string) =>
    new KafkaEventSink({ brokers: testStack.kafkaBrokers, topicPrefix: prefix });

  beforeAll(async () => {
    await service.start();
    const sink = sinkFor(service.topicPrefix);
    await sink.publish(events);
    await sink.close();
    await eventually(async () => (await service.processedCount()) === handled.length, 90_000);
  });

  afterAll(async () => {
    await replica?.destroy();
    await service.destroy();
  });

  it('projects every customer, account balance, loan and card of the population', async () => {
    const state = await projectionState(service);
    const registered = events.filter((e) => e.type === EventTypes.CustomerRegistered);
    expect(state.customers).toHaveLength(registered.length);
    const balances = expectedBalances();
    expect(state.accounts).toHaveLength(balances.size);
    for (const account of state.accounts as { id: string; balance: string }[]) {
      expect({ id: account.id, balance: account.balance }).toEqual({
        id: account.id,
        balance: decimal(balances.get(account.id)!),
      });
    }
    expect(state.loans.length).toBe(
      new Set(
        events
          .filter((e) => e.type === EventTypes.LoanDisbursed)
          .map((e) => e.subject + (e.data as { loanId: string }).loanId),
      ).size,
    );
    expect(state.cards.length).toBeGreaterThan(0);
    expect(state.institutions.length).toBe(
      events.filter((e) => e.type === EventTypes.InstitutionUpserted).length,
    );
  });

  it('answers the 360 view of a named customer with the balances the events imply', async () => {
    const customer = registered(0);
    const accounts = events
      .filter(
        (e) =>
          e.type === EventTypes.AccountOpened &&
          (e.data as AccountOpenedPayload).customerId === customer.customerId,
      )
      .map((e) => e.data as AccountOpenedPayload);
    const primary = accounts[0]?.institutionId ?? customer.homeInstitutionId;
    await service.publish(
      service.clock.envelope(
        EventTypes.CoverageChanged,
        customer.customerId,
        coverage(customer.customerId, primary),
      ),
    );
    const admin = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HEAD' });
    const view = await eventually(async () => {
      const res = await request(service.app.getHttpServer())
        .get(`/api/v1/customers/${customer.customerId}/360`)
        .set('Authorization', `Bearer ${admin}`);
      return res.status === 200 && res.body.coverage.primary?.institutionId === primary
        ? res.body
        : undefined;
    });
    const balances = expectedBalances();
    const open = (view.holdings.accounts as { accountId: string; status: string; balance: string }[]).filter(
      (a) => a.status !== 'closed',
    );
    for (const a of view.holdings.accounts as { accountId: string; balance: string }[]) {
      expect(a.balance).toBe(decimal(balances.get(a.accountId)!));
    }
    const aum = open.reduce((sum, a) => sum + Math.round(Number(a.balance) * 100), 0);
    expect(Math.round(Number(view.holdings.totals.aum) * 100)).toBe(aum);
    expect(view.holdings.totals.aum).toMatch(/^-?\d+\.\d{2}$/);
    expect(view.profile.name).toBe(customer.name);
    expect(view.profile.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('finds the named customer by exact phone number through the keyed hash', async () => {
    const customer = registered(1);
    // The stream may change the number after registration (for some start times it does): search the latest.
    const phone = events
      .filter((e) => e.type === EventTypes.CustomerUpdated)
      .map((e) => e.data as CustomerUpdatedPayload)
      .filter((u) => u.customerId === customer.customerId && u.changedFields.includes('phone'))
      .reduce((latest, u) => u.phone ?? latest, customer.phone);
    // A search by phone number reveals it: it needs pii:read.
    const admin = testToken({ roles: [Role.HeadOfficeAdmin], inst: 'HEAD', perms: [Permission.PiiRead] });
    const res = await request(service.app.getHttpServer())
      .post('/api/v1/customers/search')
      .set('Authorization', `Bearer ${admin}`)
      .send({ filter: { phone } })
      .expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([customer.customerId]);
  });

  it('keeps no plaintext ID or phone number in any column of the schema, nor in any log line', async () => {
    const secrets = events
      .filter((e) => e.type === EventTypes.CustomerRegistered || e.type === EventTypes.CustomerUpdated)
      .flatMap((e) => {
        const p = e.data as CustomerRegisteredPayload;
        return [p.idNumber, p.unifiedSocialCreditCode, p.phone].filter((v): v is string => !!v);
      });
    expect(secrets.length).toBeGreaterThan(20);
    const columns = (await service.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = $1 AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`,
      [service.schema],
    )) as { table_name: string; column_name: string }[];
    expect(columns.length).toBeGreaterThan(30);
    for (const { table_name, column_name } of columns) {
      const [{ hits }] = await service.query<{ hits: number }>(
        `SELECT count(*)::int AS hits FROM $schema."${table_name}" WHERE "${column_name}"::text LIKE ANY($1::text[])`,
        [secrets.map((s) => `%${s}%`)],
      );
      expect({ table_name, column_name, hits }).toEqual({ table_name, column_name, hits: 0 });
    }
    const logged = service.log!.text;
    expect(logged.length).toBeGreaterThan(0);
    expect(secrets.filter((s) => logged.includes(s))).toEqual([]);
  });

  it('has no second effect when events are delivered again', async () => {
    const before = await projectionState(service);
    const processedBefore = await service.processedCount();
    const duplicates = events.filter((e) => e.type === EventTypes.TransactionPosted).slice(0, 20);
    const sink = sinkFor(service.topicPrefix);
    await sink.publish(duplicates);
    await sink.close();
    // A fresh event after the duplicates on each of their partitions (same keys) shows they were consumed.
    const markers = [...new Set(duplicates.map((d) => d.subject))].map((customerId) =>
      service.clock.envelope(EventTypes.AccountStatusChanged, customerId, {
        accountId: `MARK-${customerId}`,
        customerId,
        institutionId: 'MARK',
        from: 'active',
        to: 'dormant',
        effectiveOn: '2026-01-01',
      }),
    );
    await service.publish(...markers);
    await eventually(async () => (await service.processedCount()) === processedBefore + markers.length);
    const after = await projectionState(service);
    expect(after.transactions).toEqual(before.transactions);
    expect(after.accounts.filter((a: { id: string }) => !a.id.startsWith('MARK-'))).toEqual(before.accounts);
    expect(after.loans).toEqual(before.loans);
  });

  it('rebuilds the same state when the topics are replayed from the beginning', async () => {
    replica = new ServiceHarness(CUSTOMER_SERVICE, { name: 'replay', topicPrefix: service.topicPrefix });
    await replica.start();
    const target = await service.processedCount();
    await eventually(async () => (await replica!.processedCount()) === target, 90_000);
    const [original, rebuilt] = [await projectionState(service), await projectionState(replica)];
    expect(rebuilt).toEqual(original);
  });
});

function registered(index: number): CustomerRegisteredPayload {
  return events.filter((e) => e.type === EventTypes.CustomerRegistered)[index]
    .data as CustomerRegisteredPayload;
}

function coverage(customerId: string, institutionId: string): CoverageChangedPayload {
  return {
    customerId,
    version: 1,
    primary: { institutionId, managerId: null, reason: 'largest-deposit', basis: 'automatic' },
    secondary: [],
    keyCustomer: false,
    privateBankerId: null,
    changedAt: new Date().toISOString(),
    changedBy: 'system',
    note: 'test',
  };
}
