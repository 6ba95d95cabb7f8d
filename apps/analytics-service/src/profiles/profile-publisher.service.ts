import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { EventTypes, Topics } from '@crm/contracts';
import { StatePublisher } from '@crm/messaging';
import { AnalyticsServiceConfig } from '../app.config';
import { CobRunRepository, ShardStage, type CobRun } from '../cob/cob-run.repository';
import { profilePayload } from './profile-payload';
import { ProfileSnapshotRepository, type StoredProfile } from './profile-snapshot.repository';

/**
 * Publishes a shard's changed profiles of a run on crm.analytics.profile, straight from the stored profiles in
 * customer order, a batch at a time: the batch is sent (acknowledged by every in-sync replica) under the
 * shard's row lock, then the shard's cursor moves past it in the same transaction. A crash between the two
 * sends the batch again with the same event ids (a profile version's id is made from its date, customer and
 * computation instant), which consumers de-duplicate; nothing is lost. Shards publish on any instance.
 */
@Injectable()
export class ProfilePublisher {
  constructor(
    private readonly profiles: ProfileSnapshotRepository,
    private readonly runs: CobRunRepository,
    private readonly events: StatePublisher,
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly config: AnalyticsServiceConfig,
  ) {}

  /**
   * Publishes what is left of the shard; returns how many profiles this call sent. The next batch is read
   * while the current one is sent; it is read again if another publisher of the shard moved the cursor.
   */
  async publishShard(run: CobRun, shard: number, worker: string): Promise<number> {
    const limit = this.config.COB_PUBLISH_BATCH;
    const read = (after: string | null) => {
      const batch = this.profiles.changedAfter(this.dataSource.manager, {
        businessDate: run.businessDate,
        from: run.publishFrom!,
        shard: { shard, shards: run.shards },
        after,
        limit,
      });
      // Awaited later, or dropped with its transaction: never an unhandled rejection meanwhile.
      batch.catch(() => undefined);
      return batch;
    };
    let ahead: { after: string | null; batch: Promise<StoredProfile[]> } | undefined;
    let total = 0;
    for (;;) {
      const sent = await this.dataSource.transaction(async (tx) => {
        const publication = await this.runs.lockPublication(tx, run.runId, shard);
        if (publication?.stage !== ShardStage.Profiled) return null;
        const start = performance.now();
        const cursor = publication.publishedThrough;
        const batch = await (ahead?.after === cursor ? ahead.batch : read(cursor));
        const through = batch.at(-1)?.customerId ?? cursor;
        const last = batch.length < limit;
        ahead = last ? undefined : { after: through, batch: read(through) };
        await this.events.publish(
          batch.map((profile) => ({
            topic: Topics.CrmAnalyticsProfile,
            type: EventTypes.CustomerProfileChanged,
            subject: profile.customerId,
            data: profilePayload(run.businessDate, profile, this.calendar),
            time: profile.computedAt,
            stateKey: `${run.businessDate}/${profile.customerId}/${profile.computedAt.toISOString()}`,
          })),
        );
        const ms = Math.round(performance.now() - start);
        await this.runs.shardPublishedBatch(
          tx,
          run.runId,
          shard,
          { count: batch.length, through, ms, last },
          worker,
        );
        if (batch.length > 0) await this.runs.published(tx, run.runId, batch.length);
        return { count: batch.length, last };
      });
      if (!sent) return total;
      total += sent.count;
      if (sent.last) return total;
    }
  }
}
