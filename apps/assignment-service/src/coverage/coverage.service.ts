import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { DataSource, EntityManager, type QueryRunner } from 'typeorm';
import { CoverageChangedPayload, CoveringInstitution, EventTypes, Topics } from '@crm/contracts';
import { OutboxWriter } from '@crm/messaging';
import { Metrics } from '@crm/observability';
import { HoldingsRepository } from '../holdings/holdings.repository';
import { BankParametersVersion, ParametersRepository } from '../parameters/parameters.repository';
import { ActorKind, CoverageRepository } from './coverage.repository';
import { CoverageDecision, decideCoverage } from './coverage.rule';

export const SYSTEM_ACTOR = 'system';
const NOTE_LIMIT = 500;
/** Where a transaction keeps the coverage changes it made, counted once it commits. */
const CHANGES_MADE = 'coverage.changes-made';

const changesMadeIn = (queryRunner: QueryRunner): ActorKind[] =>
  ((queryRunner.data as Record<string, ActorKind[] | undefined>)[CHANGES_MADE] ??= []);

/** Who caused a recomputation and why: written to the history and carried in CoverageChanged. */
export interface CoverageCause {
  actorKind: ActorKind;
  /** `system`, or the user id. */
  actorId: string;
  reason: string;
  /** The business day the rules decide for (the event's day for events). */
  asOf: string;
  /** A private banker a head just set (string) or removed (null); undefined keeps the current one. */
  privateBankerId?: string | null;
}

const sameEntry = (a: CoveringInstitution | null, b: CoveringInstitution | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.institutionId === b.institutionId &&
    a.managerId === b.managerId &&
    a.reason === b.reason &&
    a.basis === b.basis);

/** True when a decision says the same as the stored coverage (version, time and author aside). */
function unchanged(current: CoverageChangedPayload | null, next: CoverageDecision): boolean {
  if (current === null)
    return (
      next.primary === null &&
      next.secondary.length === 0 &&
      !next.keyCustomer &&
      next.privateBankerId === null
    );
  return (
    sameEntry(current.primary, next.primary) &&
    current.secondary.length === next.secondary.length &&
    current.secondary.every((s, i) => sameEntry(s, next.secondary[i])) &&
    current.keyCustomer === next.keyCustomer &&
    current.privateBankerId === next.privateBankerId
  );
}

/** What the rules did beyond the cause itself, in words for the history. */
function consequences(current: CoverageChangedPayload | null, next: CoverageDecision): string[] {
  const notes: string[] = [];
  const wasPrimary = current?.primary;
  if (wasPrimary && next.primary?.institutionId !== wasPrimary.institutionId) {
    notes.push(`primary moved from ${wasPrimary.institutionId} to ${next.primary?.institutionId ?? 'none'}`);
    const kept = next.secondary.find(
      (s) => s.institutionId === wasPrimary.institutionId && s.basis === 'manual',
    );
    if (kept) notes.push(`pinned manager ${kept.managerId} stays with ${kept.institutionId}, now secondary`);
  }
  for (const pin of next.endedPins)
    notes.push(
      `pin of manager ${pin.managerId} at ${pin.institutionId} ended: the institution no longer covers the customer`,
    );
  if (next.privateBankerEnded) notes.push('private banker removed: no longer a key customer');
  if (current && current.keyCustomer !== next.keyCustomer)
    notes.push(next.keyCustomer ? 'flagged as key customer' : 'no longer a key customer');
  return notes;
}

/**
 * Applies the coverage rules to one customer inside the caller's transaction (the holdings update or the
 * head's request) and, when the outcome differs, stores it with history and emits CoverageChanged.
 */
@Injectable()
export class CoverageService {
  private readonly changes: Counter<'actor'>;

  constructor(
    private readonly holdings: HoldingsRepository,
    private readonly coverage: CoverageRepository,
    private readonly parameters: ParametersRepository,
    private readonly outbox: OutboxWriter,
    metrics: Metrics,
    dataSource: DataSource,
  ) {
    this.changes = metrics.counter({
      name: 'crm_assignment_coverage_changes_total',
      help: 'Coverage changes stored and emitted, by who caused them (system rules or a user)',
      labelNames: ['actor'],
    });
    // Counted on commit: a batch rolled back and applied again in halves would otherwise count its changes twice.
    dataSource.subscribers.push({
      afterTransactionCommit: ({ queryRunner }) => {
        if (queryRunner.isTransactionActive) return;
        for (const actor of changesMadeIn(queryRunner).splice(0)) this.changes.inc({ actor });
      },
    });
  }

  /** The caller holds the customer lock (HoldingsRepository.lockCustomer). Returns the coverage now in force. */
  async recompute(
    tx: EntityManager,
    customerId: string,
    cause: CoverageCause,
    /** The bank parameters, when the caller has read them under the customer's lock already. */
    parameters?: BankParametersVersion,
  ): Promise<CoverageChangedPayload | null> {
    const { current, pins } = await this.coverage.currentWithPins(tx, customerId);
    const params = parameters ?? (await this.parameters.current(tx));
    const decision = decideCoverage({
      holdings: await this.holdings.holdingsOf(tx, customerId),
      pins,
      privateBankerId:
        cause.privateBankerId !== undefined ? cause.privateBankerId : (current?.privateBankerId ?? null),
      thresholds: {
        assetThreshold: params.keyCustomerAssetThreshold,
        loanThreshold: params.keyCustomerLoanThreshold,
        cleanYears: params.keyCustomerCleanYears,
      },
      asOf: cause.asOf,
    });
    await this.coverage.deletePins(
      tx,
      customerId,
      decision.endedPins.map((p) => p.institutionId),
    );
    if (unchanged(current, decision)) return current;

    const note = [cause.reason, ...consequences(current, decision)].join('; ');
    const next: CoverageChangedPayload = {
      customerId,
      version: (current?.version ?? 0) + 1,
      primary: decision.primary,
      secondary: decision.secondary,
      keyCustomer: decision.keyCustomer,
      privateBankerId: decision.privateBankerId,
      changedAt: new Date().toISOString(),
      changedBy: cause.actorId,
      note: note.length > NOTE_LIMIT ? `${note.slice(0, NOTE_LIMIT - 1)}…` : note,
    };
    await this.coverage.save(tx, next, cause.actorKind);
    await this.outbox.add(tx, {
      topic: Topics.CrmAssignment,
      type: EventTypes.CoverageChanged,
      subject: customerId,
      data: next,
    });
    changesMadeIn(tx.queryRunner!).push(cause.actorKind);
    return next;
  }
}
