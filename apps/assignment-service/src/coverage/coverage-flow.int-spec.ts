import request from 'supertest';
import { EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { Metrics } from '@crm/observability';
import { CoverageChangedPayload, EventTypes, Topics, validateEventPayload } from '@crm/contracts';
import { ServiceHarness } from '@crm/service-harness';
import { EventProbe, eventually } from '@crm/testing';
import {
  CALLERS,
  MANAGERS,
  ORG,
  assignmentHarness,
  corebank,
  seedOrganisation,
} from '../testing/bank.fixture';
import { HoldingsRepository } from '../holdings/holdings.repository';
import { CoverageRepository } from './coverage.repository';
import { CoverageService } from './coverage.service';

const service = assignmentHarness('coverage-flow');
const clock = service.clock;
let probe: EventProbe;

const coverageOf = async (
  svc: ServiceHarness,
  customerId: string,
): Promise<CoverageChangedPayload | undefined> => {
  const rows = await svc.query<{ coverage: CoverageChangedPayload }>(
    `SELECT coverage FROM $schema.customer_coverage WHERE customer_id = $1`,
    [customerId],
  );
  return rows[0]?.coverage;
};

/** Waits for the customer's coverage to reach `version` and returns it. */
const atVersion = (customerId: string, version: number, svc = service) =>
  eventually(async () => {
    const coverage = await coverageOf(svc, customerId);
    return coverage && coverage.version >= version ? coverage : undefined;
  });

const entry = (institutionId: string, managerId: string | null, reason: string, basis = 'automatic') => ({
  institutionId,
  managerId,
  reason,
  basis,
});

const emitted = (customerId: string) =>
  probe.messages
    .filter((m) => m.key === customerId)
    .map((m) => m.json as CoverageChangedPayload)
    .sort((a, b) => a.version - b.version);

beforeAll(async () => {
  await service.start();
  probe = await EventProbe.start(service.kafka, `${service.topicPrefix}${Topics.CrmAssignment}`);
  await seedOrganisation(service);
});

afterAll(async () => {
  await probe?.stop();
  await service.destroy();
});

describe('coverage from core-banking events', () => {
  it('deposits at two outlets: the larger is primary; a deposit moves the primary role, each change emitted', async () => {
    const c = 'C-DEP2';
    await service.publish(
      corebank.accountOpened(clock, {
        accountId: 'A-DEP2-1',
        customerId: c,
        institutionId: ORG.outletA1,
        balance: '30000.00',
        managerId: MANAGERS.a1.id,
      }),
      corebank.accountOpened(clock, {
        accountId: 'A-DEP2-2',
        customerId: c,
        institutionId: ORG.outletB1,
        balance: '50000.00',
        managerId: MANAGERS.b1.id,
      }),
    );
    const v2 = await atVersion(c, 2);
    expect(v2.primary).toEqual(entry(ORG.outletB1, MANAGERS.b1.id, 'largest-deposit'));
    expect(v2.secondary).toEqual([entry(ORG.outletA1, MANAGERS.a1.id, 'deposit')]);
    expect(v2).toMatchObject({ keyCustomer: false, privateBankerId: null, changedBy: 'system' });

    await service.publish(
      corebank.transactionPosted(clock, {
        accountId: 'A-DEP2-1',
        customerId: c,
        institutionId: ORG.outletA1,
        amount: '50030.00',
        balanceAfter: '80030.00',
      }),
    );
    const v3 = await atVersion(c, 3);
    expect(v3.primary).toEqual(entry(ORG.outletA1, MANAGERS.a1.id, 'largest-deposit'));
    expect(v3.secondary).toEqual([entry(ORG.outletB1, MANAGERS.b1.id, 'deposit')]);
    expect(v3.note).toContain(`primary moved from ${ORG.outletB1} to ${ORG.outletA1}`);

    await probe.waitForCount((m) => m.key === c, 3);
    const events = emitted(c);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(events[2]).toEqual(v3);
    const typed = probe.messages.find((m) => m.key === c);
    expect(typed?.headers.ce_type).toBe(EventTypes.CoverageChanged);
    for (const e of events)
      expect(validateEventPayload(EventTypes.CoverageChanged, e)).toMatchObject({ ok: true });
  });

  it('loan plus card at different institutions: the loan primary with the lending manager, the card secondary', async () => {
    const c = 'C-LOANCARD';
    await service.publish(
      corebank.loanDisbursed(clock, {
        loanId: 'L-LC',
        customerId: c,
        institutionId: ORG.outletA2,
        managerId: MANAGERS.a2.id,
        principal: '200000.00',
      }),
      corebank.cardIssued(clock, {
        cardId: 'K-LC',
        customerId: c,
        institutionId: ORG.outletB1,
        managerId: MANAGERS.b1.id,
        creditLimit: '900000.00',
      }),
    );
    // The two topics arrive in either order: wait for the state both events make.
    const coverage = await eventually(async () => {
      const cov = await coverageOf(service, c);
      return cov && cov.secondary.length === 1 ? cov : undefined;
    });
    expect(coverage.primary).toEqual(entry(ORG.outletA2, MANAGERS.a2.id, 'loan'));
    expect(coverage.secondary).toEqual([entry(ORG.outletB1, MANAGERS.b1.id, 'card')]);
  });

  it('a tie in deposits goes to the earlier-opened relationship', async () => {
    const c = 'C-TIE';
    await service.publish(
      corebank.accountOpened(clock, {
        accountId: 'A-TIE-1',
        customerId: c,
        institutionId: ORG.outletA1,
        balance: '50000.00',
        openedOn: '2020-05-01',
      }),
      corebank.accountOpened(clock, {
        accountId: 'A-TIE-2',
        customerId: c,
        institutionId: ORG.outletA2,
        balance: '50000.00',
        openedOn: '2019-01-01',
      }),
    );
    const coverage = await atVersion(c, 2);
    expect(coverage.primary).toEqual(entry(ORG.outletA2, null, 'largest-deposit'));
    expect(coverage.secondary).toEqual([entry(ORG.outletA1, null, 'deposit')]);
  });

  it('a head’s manual assignment survives a holdings change that moves the primary role, and ends with its institution', async () => {
    const c = 'C-MANUAL';
    await service.publish(
      corebank.accountOpened(clock, {
        accountId: 'A-MAN-1',
        customerId: c,
        institutionId: ORG.outletA1,
        balance: '100000.00',
        managerId: MANAGERS.a1.id,
      }),
      corebank.accountOpened(clock, {
        accountId: 'A-MAN-2',
        customerId: c,
        institutionId: ORG.outletA2,
        balance: '20000.00',
        managerId: MANAGERS.a2.id,
      }),
    );
    await atVersion(c, 2);

    const assigned = await request(service.app.getHttpServer())
      .put(`/api/v1/customers/${c}/coverage/institutions/${ORG.outletA1}/manager`)
      .set('Authorization', `Bearer ${CALLERS.headA}`)
      .send({ managerId: MANAGERS.a1b.id, reason: 'customer asked for a new manager' })
      .expect(200);
    expect(assigned.body).toMatchObject({
      version: 3,
      primary: entry(ORG.outletA1, MANAGERS.a1b.id, 'largest-deposit', 'manual'),
      changedBy: 'head-A',
    });

    await service.publish(
      corebank.transactionPosted(clock, {
        accountId: 'A-MAN-2',
        customerId: c,
        institutionId: ORG.outletA2,
        amount: '480000.00',
        balanceAfter: '500000.00',
      }),
    );
    const moved = await atVersion(c, 4);
    expect(moved.primary).toEqual(entry(ORG.outletA2, MANAGERS.a2.id, 'largest-deposit'));
    expect(moved.secondary).toEqual([entry(ORG.outletA1, MANAGERS.a1b.id, 'deposit', 'manual')]);
    expect(moved.note).toContain(
      `pinned manager ${MANAGERS.a1b.id} stays with ${ORG.outletA1}, now secondary`,
    );

    await service.publish(
      corebank.accountClosed(clock, { accountId: 'A-MAN-1', customerId: c, institutionId: ORG.outletA1 }),
    );
    const ended = await atVersion(c, 5);
    expect(ended.secondary).toEqual([]);
    expect(ended.note).toContain(`pin of manager ${MANAGERS.a1b.id} at ${ORG.outletA1} ended`);
    const pins = await service.query(`SELECT * FROM $schema.manager_pin WHERE customer_id = $1`, [c]);
    expect(pins).toEqual([]);

    const history = await request(service.app.getHttpServer())
      .get(`/api/v1/customers/${c}/coverage/history`)
      .set('Authorization', `Bearer ${CALLERS.headA}`)
      .expect(200);
    expect(
      history.body.items.map((h: { version: number; actorKind: string }) => [h.version, h.actorKind]),
    ).toEqual([
      [5, 'system'],
      [4, 'system'],
      [3, 'user'],
      [2, 'system'],
      [1, 'system'],
    ]);
  });

  it('leaves a closed account at 0 whichever of its closure and its closing entry comes first', async () => {
    const account = (id: string) => ({ accountId: id, customerId: 'C-CLOSE', institutionId: ORG.outletA1 });
    const closingEntry = (id: string, at: string) => ({
      ...corebank.transactionPosted(clock, { ...account(id), amount: '100.00', balanceAfter: '100.00' }),
      time: at,
    });
    await service.publish(
      corebank.accountOpened(clock, { ...account('A-CLOSE-1'), balance: '100.00' }),
      corebank.accountOpened(clock, { ...account('A-CLOSE-2'), balance: '100.00' }),
    );
    const closedFirst = corebank.accountClosed(clock, account('A-CLOSE-1'));
    const closedAfter = corebank.accountClosed(clock, account('A-CLOSE-2'));
    // The same instant on two topics: the closure applied before its entry for one account, after it for the other.
    for (const event of [
      closedFirst,
      closingEntry('A-CLOSE-1', closedFirst.time),
      closingEntry('A-CLOSE-2', closedAfter.time),
      closedAfter,
    ]) {
      await service.publish(event);
      await service.drained();
    }
    const accounts = await service.query<{ account_id: string; balance: string; closed: boolean }>(
      `SELECT account_id, balance::text, closed FROM $schema.deposit_account
        WHERE customer_id = 'C-CLOSE' ORDER BY account_id`,
    );
    expect(accounts).toEqual([
      { account_id: 'A-CLOSE-1', balance: '0.00', closed: true },
      { account_id: 'A-CLOSE-2', balance: '0.00', closed: true },
    ]);
  });

  it('flags a key customer and carries the private banker a head gives them', async () => {
    const c = 'C-KEY';
    await service.publish(
      corebank.accountOpened(clock, {
        accountId: 'A-KEY-1',
        customerId: c,
        institutionId: ORG.outletA1,
        balance: '2000000.00',
      }),
    );
    expect((await atVersion(c, 1)).keyCustomer).toBe(true);
    const given = await request(service.app.getHttpServer())
      .put(`/api/v1/customers/${c}/private-banker`)
      .set('Authorization', `Bearer ${CALLERS.headA}`)
      .send({ managerId: MANAGERS.privateBanker.id, reason: 'key customer' })
      .expect(200);
    expect(given.body).toMatchObject({
      version: 2,
      keyCustomer: true,
      privateBankerId: MANAGERS.privateBanker.id,
    });
    const event = await probe.waitFor((m) => m.key === c && (m.json as CoverageChangedPayload).version === 2);
    expect(event.json).toMatchObject({ keyCustomer: true, privateBankerId: MANAGERS.privateBanker.id });
  });

  it('a redelivered event has no second effect', async () => {
    const c = 'C-REDELIVER';
    await service.publish(
      corebank.accountOpened(clock, {
        accountId: 'A-RED-1',
        customerId: c,
        institutionId: ORG.outletA1,
        balance: '100.00',
      }),
      corebank.accountOpened(clock, {
        accountId: 'A-RED-2',
        customerId: c,
        institutionId: ORG.outletB1,
        balance: '200.00',
      }),
    );
    await atVersion(c, 2);
    const raise = corebank.transactionPosted(clock, {
      accountId: 'A-RED-1',
      customerId: c,
      institutionId: ORG.outletA1,
      amount: '200.00',
      balanceAfter: '300.00',
    });
    const lower = corebank.transactionPosted(clock, {
      accountId: 'A-RED-1',
      customerId: c,
      institutionId: ORG.outletA1,
      amount: '150.00',
      balanceAfter: '150.00',
    });
    await service.publish(raise, lower);
    const v4 = await atVersion(c, 4);
    expect(v4.primary?.institutionId).toBe(ORG.outletB1);

    // Applied again, `raise` would make 810100 primary once more; the marker after it shows it was consumed.
    const marker = corebank.transactionPosted(clock, {
      accountId: 'A-RED-3',
      customerId: c,
      institutionId: ORG.outletC1,
      amount: '1.00',
      balanceAfter: '1.00',
    });
    await service.publish(raise, marker);
    const v5 = await atVersion(c, 5);
    expect(v5.primary?.institutionId).toBe(ORG.outletB1);
    expect(v5.secondary.map((s) => s.institutionId)).toEqual([ORG.outletA1, ORG.outletC1]);
    const [{ count }] = await service.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM $schema.coverage_history WHERE customer_id = $1`,
      [c],
    );
    expect(count).toBe(5);
  });

  it('a replay from the beginning into a fresh schema gives the same automatic coverage', async () => {
    const [moved, tie] = ['C-REPLAY-MOVED', 'C-REPLAY-TIE'];
    await service.publish(
      corebank.accountOpened(clock, {
        accountId: 'A-RPM-1',
        customerId: moved,
        institutionId: ORG.outletA1,
        balance: '30000.00',
        managerId: MANAGERS.a1.id,
      }),
      corebank.accountOpened(clock, {
        accountId: 'A-RPM-2',
        customerId: moved,
        institutionId: ORG.outletB1,
        balance: '50000.00',
        managerId: MANAGERS.b1.id,
      }),
      corebank.accountOpened(clock, {
        accountId: 'A-RPT-1',
        customerId: tie,
        institutionId: ORG.outletA1,
        balance: '50000.00',
        openedOn: '2020-05-01',
      }),
      corebank.accountOpened(clock, {
        accountId: 'A-RPT-2',
        customerId: tie,
        institutionId: ORG.outletA2,
        balance: '50000.00',
        openedOn: '2019-01-01',
      }),
    );
    await atVersion(moved, 2);
    await service.publish(
      corebank.transactionPosted(clock, {
        accountId: 'A-RPM-1',
        customerId: moved,
        institutionId: ORG.outletA1,
        amount: '50030.00',
        balanceAfter: '80030.00',
      }),
    );
    const expected = [await atVersion(moved, 3), await atVersion(tie, 2)];
    const replica = assignmentHarness('coverage-replay', { topicPrefix: service.topicPrefix });
    try {
      await replica.start();
      for (const [i, c] of [moved, tie].entries()) {
        const want = expected[i];
        const got = await eventually(async () => {
          const cov = await coverageOf(replica, c);
          return cov &&
            JSON.stringify([cov.primary, cov.secondary, cov.keyCustomer]) ===
              JSON.stringify([want.primary, want.secondary, want.keyCustomer])
            ? cov
            : undefined;
        });
        expect(got.primary).toEqual(want.primary);
      }
    } finally {
      await replica.destroy();
    }
  });
});

describe('the coverage-change metric', () => {
  const userChanges = async (): Promise<number> => {
    const metric = service.app.get(Metrics).registry.getSingleMetric('crm_assignment_coverage_changes_total');
    const { values } = await metric!.get();
    return values.find((v) => v.labels.actor === 'user')?.value ?? 0;
  };

  it('counts a change when its transaction commits, and not when it rolls back (a batch applied again)', async () => {
    const c = 'C-METRIC';
    await service.publish(
      corebank.accountOpened(clock, {
        accountId: 'A-METRIC-1',
        customerId: c,
        institutionId: ORG.outletA1,
        balance: '100000.00',
        managerId: MANAGERS.a1.id,
      }),
    );
    await atVersion(c, 1);
    const pinAndRecompute = (managerId: string) => async (tx: EntityManager) => {
      await service.app.get(HoldingsRepository).lockCustomer(tx, c);
      await service.app.get(CoverageRepository).savePin(tx, c, {
        institutionId: ORG.outletA1,
        managerId,
        pinnedBy: 'head-A',
        reason: 'metric test',
      });
      return service.app.get(CoverageService).recompute(tx, c, {
        actorKind: 'user',
        actorId: 'head-A',
        reason: 'metric test',
        asOf: service.app.get(BusinessCalendar).dateOf(clock.now),
      });
    };
    const before = await userChanges();

    await expect(
      service.dataSource.transaction(async (tx) => {
        expect((await pinAndRecompute(MANAGERS.a1b.id)(tx))?.version).toBe(2);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await userChanges()).toBe(before);

    await service.dataSource.transaction(pinAndRecompute(MANAGERS.a1b.id));
    expect(await userChanges()).toBe(before + 1);
  });
});
