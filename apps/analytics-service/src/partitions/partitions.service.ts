import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendar, addMonths, monthOf } from '@crm/calendar';
import { PermanentEventError } from '@crm/messaging';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { AnalyticsServiceConfig } from '../app.config';
import { AnalyticsException, AnalyticsExceptionCode } from '../common/analytics.exception';
import {
  MONTHLY_TABLES,
  MonthPartition,
  MonthlyTable,
  MonthlyTables,
  firstRetainedMonth,
  monthPartition,
  monthsBefore,
  partitionOfDate,
} from './month-partition.rule';
import type { DetachedPartitionsDto, PartitionDto, PartitionListDto } from './partition.dto';
import { PartitionRepository } from './partition.repository';

const nextMonth = (month: string): string => monthOf(addMonths(`${month}-01`, 1));

/** The month partitions of the warehouse's fact tables: made when a month's first fact arrives, detached on request. */
@Injectable()
export class PartitionsService {
  constructor(
    private readonly partitions: PartitionRepository,
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly config: AnalyticsServiceConfig,
    private readonly audit: AuditLogWriter,
  ) {}

  /**
   * Makes sure the partition for `businessDate` is attached before a fact of that date is written in `tx`,
   * creating it for the month's first fact (concurrent first facts of one month: one creates it, the other
   * waits for it). A detached month is archived: its fact cannot be written, and goes to the dead letters.
   */
  async ensureFor(tx: EntityManager, table: MonthlyTable, businessDate: string): Promise<void> {
    const partition = await this.attach(tx, table, businessDate);
    if (partition)
      throw new PermanentEventError(
        `${partition.name} is detached: facts of ${partition.month} are archived`,
      );
  }

  /** The same for a close of business writing a date's snapshot: a detached month is refused (422). */
  async ensureForRun(tx: EntityManager, table: MonthlyTable, businessDate: string): Promise<void> {
    const partition = await this.attach(tx, table, businessDate);
    if (partition)
      throw new AnalyticsException(
        AnalyticsExceptionCode.MonthDetached,
        `${partition.name} is detached: ${partition.month} is archived and cannot be run again`,
      );
  }

  /**
   * Refuses a close of business (of dates up to `through`, reading transaction facts from `readsFrom` on)
   * that would read an archived month: its figures would silently lack that month's facts, as a backfill of
   * dates the retention has passed would. Months that never had facts are fine.
   */
  async assertFactsAttached(tx: EntityManager, readsFrom: string, through: string): Promise<void> {
    for (let month = monthOf(readsFrom); month <= monthOf(through); month = nextMonth(month)) {
      const partition = monthPartition(MonthlyTables.TransactionFact, month);
      if ((await this.partitions.state(tx, partition)) === 'detached')
        throw new AnalyticsException(
          AnalyticsExceptionCode.MonthDetached,
          `${partition.name} is detached: a close of business through ${through} reads transaction facts from ${readsFrom} on`,
        );
    }
  }

  /** Attaches the date's month when it was never made; the partition when it is detached, else null. */
  private async attach(
    tx: EntityManager,
    table: MonthlyTable,
    businessDate: string,
  ): Promise<MonthPartition | null> {
    const partition = partitionOfDate(table, businessDate);
    let state = await this.partitions.state(tx, partition);
    if (state === 'missing') {
      await this.partitions.lockPartitioning(tx, table);
      state = await this.partitions.state(tx, partition);
      if (state === 'missing') await this.partitions.create(tx, partition);
    }
    return state === 'detached' ? partition : null;
  }

  async list(): Promise<PartitionListDto> {
    const partitions: PartitionDto[] = [];
    for (const table of MONTHLY_TABLES)
      partitions.push(...(await this.partitions.list(this.dataSource.manager, table)));
    return { partitions };
  }

  /** Detaches every attached month before `before` of every partitioned table, in one transaction; audited. */
  async detachBefore(user: AuthenticatedUser, before: string): Promise<DetachedPartitionsDto> {
    const retainedFrom = firstRetainedMonth(this.calendar.today(), this.config.TRANSACTION_RETAINED_MONTHS);
    if (before > retainedFrom)
      throw new AnalyticsException(
        AnalyticsExceptionCode.MonthRetained,
        `months from ${retainedFrom} on stay attached (TRANSACTION_RETAINED_MONTHS): detach before ${retainedFrom} at the latest`,
      );
    return this.dataSource.transaction(async (tx) => {
      const detached: PartitionDto[] = [];
      for (const table of MONTHLY_TABLES) {
        await this.partitions.lockPartitioning(tx, table);
        const attached = (await this.partitions.list(tx, table))
          .filter((p) => p.attached)
          .map((p) => p.month);
        for (const month of monthsBefore(attached, before)) {
          const partition = monthPartition(table, month);
          await this.partitions.detach(tx, partition);
          detached.push({ table, month, name: partition.name, attached: false });
        }
      }
      await this.audit.record(
        {
          actor: user,
          action: 'warehouse.partitions.detach',
          resourceType: 'partition',
          outcome: 'allowed',
          details: { before, detached: detached.map((p) => p.name) },
        },
        tx,
      );
      return { detached };
    });
  }
}
