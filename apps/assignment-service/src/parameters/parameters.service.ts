import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { KeysetCursor, Page, toPage } from '@crm/http';
import { formatAmount, schemaOf } from '@crm/persistence';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { CoverageService, SYSTEM_ACTOR } from '../coverage/coverage.service';
import { HoldingsRepository } from '../holdings/holdings.repository';
import { UpdateBankParametersDto } from './parameters.dto';
import { BankParametersVersion, ParametersRepository } from './parameters.repository';

const PARAMETERS_HISTORY_CURSOR = new KeysetCursor('parameters-history', ['int'] as const);

const REEVALUATION_BATCH = 200;

/**
 * The bank's parameters: head office changes them (validated, audited, every version kept). A change of
 * the key-customer thresholds re-evaluates every covered customer afterwards, one customer per transaction.
 */
@Injectable()
export class ParametersService implements OnApplicationShutdown {
  private readonly logger = new Logger(ParametersService.name);
  private reevaluation: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ParametersRepository,
    private readonly holdings: HoldingsRepository,
    private readonly coverage: CoverageService,
    private readonly audit: AuditLogWriter,
    private readonly calendar: BusinessCalendar,
  ) {}

  current(): Promise<BankParametersVersion> {
    return this.repository.current();
  }

  async history(limit: number, cursor: string | undefined): Promise<Page<BankParametersVersion>> {
    const before = cursor ? PARAMETERS_HISTORY_CURSOR.decode(cursor)[0] : null;
    return toPage(await this.repository.history(limit, before), limit, PARAMETERS_HISTORY_CURSOR, (r) => [
      r.version,
    ]);
  }

  async update(user: AuthenticatedUser, dto: UpdateBankParametersDto): Promise<BankParametersVersion> {
    const updated = await this.dataSource.transaction(async (tx) => {
      const previous = await this.repository.current(tx, true);
      const next: BankParametersVersion = {
        keyCustomerAssetThreshold: formatAmount(dto.keyCustomerAssetThreshold),
        keyCustomerLoanThreshold: formatAmount(dto.keyCustomerLoanThreshold),
        keyCustomerCleanYears: dto.keyCustomerCleanYears,
        visitDutyLoanThreshold: formatAmount(dto.visitDutyLoanThreshold),
        visitDutyMinVisitsPerMonth: dto.visitDutyMinVisitsPerMonth,
        version: previous.version + 1,
        updatedAt: '',
        updatedBy: user.userId,
        reason: dto.reason,
      };
      await this.repository.update(tx, next);
      await this.audit.record(
        {
          actor: user,
          action: 'parameters.update',
          resourceType: 'bank-parameters',
          resourceId: String(next.version),
          outcome: 'allowed',
          details: { reason: dto.reason, from: withoutMeta(previous), to: withoutMeta(next) },
        },
        tx,
      );
      return { previous, next: await this.repository.current(tx) };
    });
    const { previous, next } = updated;
    if (
      previous.keyCustomerAssetThreshold !== next.keyCustomerAssetThreshold ||
      previous.keyCustomerLoanThreshold !== next.keyCustomerLoanThreshold ||
      previous.keyCustomerCleanYears !== next.keyCustomerCleanYears
    ) {
      this.reevaluation = this.reevaluation.then(() => this.reevaluateAll(next.version));
    }
    return next;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.reevaluation;
  }

  private async reevaluateAll(version: number): Promise<void> {
    const s = schemaOf(this.dataSource);
    let after = '';
    try {
      for (;;) {
        if (this.stopping) return;
        const batch: { id: string }[] = await this.dataSource.query(
          `SELECT customer_id AS id FROM "${s}".customer_coverage WHERE customer_id > $1 ORDER BY customer_id LIMIT $2`,
          [after, REEVALUATION_BATCH],
        );
        if (batch.length === 0) return;
        for (const { id } of batch) {
          await this.dataSource.transaction(async (tx) => {
            await this.holdings.lockCustomer(tx, id);
            await this.coverage.recompute(tx, id, {
              actorKind: 'system',
              actorId: SYSTEM_ACTOR,
              reason: `bank parameters changed (version ${version})`,
              asOf: this.calendar.today(),
            });
          });
        }
        after = batch[batch.length - 1].id;
      }
    } catch (error) {
      // The next holdings change of each customer applies the new thresholds anyway.
      this.logger.error({ msg: 're-evaluation after a parameter change stopped', version, err: error });
    }
  }
}

const withoutMeta = (p: BankParametersVersion) => ({
  keyCustomerAssetThreshold: p.keyCustomerAssetThreshold,
  keyCustomerLoanThreshold: p.keyCustomerLoanThreshold,
  keyCustomerCleanYears: p.keyCustomerCleanYears,
  visitDutyLoanThreshold: p.visitDutyLoanThreshold,
  visitDutyMinVisitsPerMonth: p.visitDutyMinVisitsPerMonth,
});
