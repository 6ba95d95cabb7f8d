import { Module } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ConfigModule } from '@crm/config';
import { Topics } from '@crm/contracts';
import { KafkaReadiness, MessagingModule } from '@crm/messaging';
import { HealthModule, MetricsModule, postgresCheck, redisCheck } from '@crm/observability';
import { PersistenceModule, REDIS, RedisModule } from '@crm/persistence';
import { AuditModule, CoverageProjectionRepository, DataScopeModule, SecurityModule } from '@crm/security';
import { AnalyticsServiceConfig } from './app.config';
import { DailyBalanceRepository } from './balances/daily-balance.repository';
import { CampaignContactRepository } from './campaigns/campaign-contact.repository';
import { CampaignContactsConsumer } from './campaigns/campaign-contacts.consumer';
import { CampaignContactsService } from './campaigns/campaign-contacts.service';
import { ChurnController } from './churn/churn.controller';
import { ChurnRepository } from './churn/churn.repository';
import { ChurnService } from './churn/churn.service';
import { CobRunRepository } from './cob/cob-run.repository';
import { CobController } from './cob/cob.controller';
import { CobQueue } from './cob/cob.queue';
import { CobService } from './cob/cob.service';
import { CobWorker } from './cob/cob.worker';
import { DimensionRepository } from './dimensions/dimension.repository';
import { DimensionsConsumer } from './dimensions/dimensions.consumer';
import { DimensionsService } from './dimensions/dimensions.service';
import { HoldingRepository } from './holdings/holding.repository';
import { HoldingsConsumer } from './holdings/holdings.consumer';
import { HoldingsService } from './holdings/holdings.service';
import { IndicatorSnapshotRepository } from './indicators/indicator-snapshot.repository';
import { IndicatorRepository } from './indicators/indicator.repository';
import { IndicatorsController } from './indicators/indicators.controller';
import { IndicatorsService } from './indicators/indicators.service';
import { LeagueTableRepository } from './league/league-table.repository';
import { LeagueTablesController } from './league/league-tables.controller';
import { LeagueTablesService } from './league/league-tables.service';
import { ANALYTICS_MIGRATIONS } from './migrations';
import { AnalyticsParameterRepository } from './parameters/analytics-parameter.repository';
import { AnalyticsParametersController } from './parameters/analytics-parameters.controller';
import { AnalyticsParametersService } from './parameters/analytics-parameters.service';
import { PartitionRepository } from './partitions/partition.repository';
import { PartitionsController } from './partitions/partitions.controller';
import { PartitionsService } from './partitions/partitions.service';
import { ProfilePublisher } from './profiles/profile-publisher.service';
import { ProfileSnapshotRepository } from './profiles/profile-snapshot.repository';
import { ProfileRepository } from './profiles/profile.repository';
import { ProfilesController } from './profiles/profiles.controller';
import { ProfilesService } from './profiles/profiles.service';
import { TransactionRepository } from './transactions/transaction.repository';
import { TransactionsConsumer } from './transactions/transactions.consumer';
import { TransactionsService } from './transactions/transactions.service';

export const SERVICE_NAME = 'analytics-service';

@Module({
  imports: [
    ConfigModule.forRoot(AnalyticsServiceConfig),
    // The close of business runs long analytical queries: JIT stays on for them (the indicators turn it off).
    PersistenceModule.forRoot({ migrations: ANALYTICS_MIGRATIONS, applicationName: SERVICE_NAME, jit: true }),
    RedisModule,
    MessagingModule.forRoot({ service: SERVICE_NAME, publishes: [Topics.CrmAnalyticsProfile] }),
    SecurityModule.forRoot(),
    DataScopeModule.forRoot({ table: 'institution', idColumn: 'institution_id', parentColumn: 'parent_id' }),
    AuditModule,
    MetricsModule,
    HealthModule.forRootAsync({
      inject: [DataSource, REDIS, KafkaReadiness],
      useFactory: (dataSource: DataSource, redis: Redis, kafka: KafkaReadiness) => ({
        checks: { postgres: postgresCheck(dataSource), redis: redisCheck(redis), kafka: kafka.check },
      }),
    }),
  ],
  controllers: [
    DimensionsConsumer,
    HoldingsConsumer,
    TransactionsConsumer,
    CampaignContactsConsumer,
    PartitionsController,
    AnalyticsParametersController,
    CobController,
    IndicatorsController,
    ProfilesController,
    ChurnController,
    LeagueTablesController,
  ],
  providers: [
    CoverageProjectionRepository,
    DimensionRepository,
    DimensionsService,
    HoldingRepository,
    HoldingsService,
    DailyBalanceRepository,
    TransactionRepository,
    TransactionsService,
    PartitionRepository,
    PartitionsService,
    AnalyticsParameterRepository,
    AnalyticsParametersService,
    CobRunRepository,
    CobQueue,
    CobService,
    CobWorker,
    IndicatorSnapshotRepository,
    IndicatorRepository,
    IndicatorsService,
    ProfileSnapshotRepository,
    ProfilePublisher,
    ProfileRepository,
    ProfilesService,
    ChurnRepository,
    ChurnService,
    CampaignContactRepository,
    CampaignContactsService,
    LeagueTableRepository,
    LeagueTablesService,
  ],
})
export class AppModule {}
