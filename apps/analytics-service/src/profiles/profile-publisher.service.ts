import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { EventTypes, Topics } from '@crm/contracts';
import { OutboxWriter } from '@crm/messaging';
import { AnalyticsServiceConfig } from '../app.config';
import { CobRunRepository, type CobRun } from '../cob/cob-run.repository';
import { profilePayload } from './profile-payload';
import { ProfileSnapshotRepository } from './profile-snapshot.repository';

/**
 * Publishes the profiles a run queued (those that changed since the previous run's date) on
 * crm.analytics.profile, through the outbox: each batch leaves the queue and enters the outbox in one
 * transaction, so a crash loses none and doubles none. Several instances may drain one date together.
 */
@Injectable()
export class ProfilePublisher {
  constructor(
    private readonly profiles: ProfileSnapshotRepository,
    private readonly runs: CobRunRepository,
    private readonly outbox: OutboxWriter,
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly config: AnalyticsServiceConfig,
  ) {}

  async publishQueued(run: CobRun): Promise<number> {
    await this.profiles.analyzeForPublication(this.dataSource.manager, run.businessDate);
    let total = 0;
    for (;;) {
      const published = await this.dataSource.transaction(async (tx) => {
        const batch = await this.profiles.takeQueued(tx, run.businessDate, this.config.COB_PUBLISH_BATCH);
        await this.outbox.addAll(
          tx,
          batch.map((profile) => ({
            topic: Topics.CrmAnalyticsProfile,
            type: EventTypes.CustomerProfileChanged,
            subject: profile.customerId,
            data: profilePayload(run.businessDate, profile, this.calendar),
          })),
        );
        if (batch.length > 0) await this.runs.published(tx, run.runId, batch.length);
        return batch.length;
      });
      total += published;
      if (published < this.config.COB_PUBLISH_BATCH) return total;
    }
  }
}
