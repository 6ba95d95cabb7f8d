import { eventually } from '@crm/testing';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AccountClosedPayload,
  AccountOpenedPayload,
  CardIssuedPayload,
  CoverageChangedPayload,
  EventEnvelope,
  EventTypes,
  LoanDisbursedPayload,
  LoanSettledPayload,
} from '@crm/contracts';
import { assignmentHarness } from '../testing/bank.fixture';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** The event types this service handles: each one leaves a processed_event row, a dead-lettered one none. */
const HANDLED = new Set<string>([
  EventTypes.InstitutionUpserted,
  EventTypes.ManagerUpserted,
  EventTypes.AccountOpened,
  EventTypes.AccountClosed,
  EventTypes.AccountStatusChanged,
  EventTypes.TransactionPosted,
  EventTypes.TransactionReversed,
  EventTypes.LoanDisbursed,
  EventTypes.LoanRepaymentReceived,
  EventTypes.LoanSettled,
  EventTypes.LoanOverdue,
  EventTypes.LoanInterestUnpaid,
  EventTypes.CardIssued,
]);

const service = assignmentHarness('simulated-bank');
let events: EventEnvelope<object>[];
let workDir: string;

/** What each customer holds at the end of the stream, read straight from the events. */
interface Held {
  loans: Map<string, { institutionId: string; managerId: string }>;
  cards: Set<string>;
  accounts: Map<string, string>;
}

function holdingsFromEvents(all: EventEnvelope<object>[]): Map<string, Held> {
  const held = new Map<string, Held>();
  const of = (customerId: string): Held => {
    if (!held.has(customerId))
      held.set(customerId, { loans: new Map(), cards: new Set(), accounts: new Map() });
    return held.get(customerId)!;
  };
  for (const e of all) {
    if (e.type === EventTypes.LoanDisbursed) {
      const p = e.data as LoanDisbursedPayload;
      of(p.customerId).loans.set(p.loanId, { institutionId: p.institutionId, managerId: p.managerId });
    } else if (e.type === EventTypes.LoanSettled) {
      const p = e.data as LoanSettledPayload;
      of(p.customerId).loans.delete(p.loanId);
    } else if (e.type === EventTypes.CardIssued) {
      const p = e.data as CardIssuedPayload;
      of(p.customerId).cards.add(p.institutionId);
    } else if (e.type === EventTypes.AccountOpened) {
      const p = e.data as AccountOpenedPayload;
      of(p.customerId).accounts.set(p.accountId, p.institutionId);
    } else if (e.type === EventTypes.AccountClosed) {
      const p = e.data as AccountClosedPayload;
      of(p.customerId).accounts.delete(p.accountId);
    }
  }
  return held;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'assign-sim-'));
  const out = join(workDir, 'events.jsonl');
  await promisify(execFile)(
    process.execPath,
    [
      '-r',
      join(ROOT, 'tools/register.js'),
      join(ROOT, 'apps/corebank-simulator/src/main.ts'),
      ...['--seed', '11', '--customers', '150', '--count', '800', '--start', '2026-03-01T09:00:00+08:00'],
      ...['--out', out, '--quiet'],
    ],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'error' } },
  );
  events = (await readFile(out, 'utf8'))
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as EventEnvelope<object>);
  await service.start();
  await service.publish(...events);
});

afterAll(async () => {
  await service.destroy();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("the simulator's bank through the coverage rules", () => {
  it('handles every event of the population and its stream, none dead-lettered', async () => {
    const expected = events.filter((e) => HANDLED.has(e.type)).length;
    await eventually(async () => {
      return (await service.processedCount()) === expected;
    }, 60_000);
  });

  it('covers borrowers by their lending institution and manager, card holders by the card, savers by their accounts', async () => {
    const rows = await service.query<{ coverage: CoverageChangedPayload }>(
      `SELECT coverage FROM $schema.customer_coverage`,
    );
    const coverage = new Map(rows.map((r) => [r.coverage.customerId, r.coverage]));
    let borrowers = 0;
    let cardholders = 0;
    let savers = 0;
    for (const [customerId, held] of holdingsFromEvents(events)) {
      const cov = coverage.get(customerId);
      const institutions = [cov?.primary, ...(cov?.secondary ?? [])].map((c) => c?.institutionId).sort();
      const expectedInstitutions = [
        ...new Set([
          ...[...held.loans.values()].map((l) => l.institutionId),
          ...held.cards,
          ...held.accounts.values(),
        ]),
      ].sort();
      expect({ customerId, institutions }).toEqual({ customerId, institutions: expectedInstitutions });
      if (held.loans.size > 0) {
        borrowers++;
        expect(cov?.primary?.reason).toBe('loan');
        const lending = [...held.loans.values()].filter(
          (l) => l.institutionId === cov?.primary?.institutionId,
        );
        expect(lending.map((l) => l.managerId)).toContain(cov?.primary?.managerId);
      } else if (held.cards.size > 0) {
        cardholders++;
        expect(cov?.primary?.reason).toBe('card');
        expect(held.cards.has(cov!.primary!.institutionId)).toBe(true);
      } else if (held.accounts.size > 0) {
        savers++;
        expect(cov?.primary?.reason).toBe('largest-deposit');
      }
    }
    expect(borrowers).toBeGreaterThan(0);
    expect(cardholders).toBeGreaterThan(0);
    expect(savers).toBeGreaterThan(0);
  });

  it('emits one history row per version of each customer', async () => {
    const gaps = await service.query(
      `SELECT c.customer_id FROM $schema.customer_coverage c
       WHERE c.version <> (SELECT count(*) FROM $schema.coverage_history h WHERE h.customer_id = c.customer_id)`,
    );
    expect(gaps).toEqual([]);
  });
});
