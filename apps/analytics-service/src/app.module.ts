import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigModule } from '@crm/config';
import { KafkaReadiness, MessagingModule } from '@crm/messaging';
import { HealthModule, MetricsModule, postgresCheck } from '@crm/observability';
import { PersistenceModule } from '@crm/persistence';
import { AuditModule, CoverageProjectionRepository, DataScopeModule, SecurityModule } from '@crm/security';
import { AnalyticsServiceConfig } from './app.config';
import { DailyBalanceRepository } from './balances/daily-balance.repository';
import { DimensionRepository } from './dimensions/dimension.repository';
import { DimensionsConsumer } from './dimensions/dimensions.consumer';
import { DimensionsService } from './dimensions/dimensions.service';
import { HoldingRepository } from './holdings/holding.repository';
import { HoldingsConsumer } from './holdings/holdings.consumer';
import { HoldingsService } from './holdings/holdings.service';
import { ANALYTICS_MIGRATIONS } from './migrations';
import { PartitionRepository } from './partitions/partition.repository';
import { PartitionsController } from './partitions/partitions.controller';
import { PartitionsService } from './partitions/partitions.service';
import { TransactionRepository } from './transactions/transaction.repository';
import { TransactionsConsumer } from './transactions/transactions.consumer';
import { TransactionsService } from './transactions/transactions.service';

export const SERVICE_NAME = 'analytics-service';

@Module({
  imports: [
    ConfigModule.forRoot(AnalyticsServiceConfig),
    PersistenceModule.forRoot({ migrations: ANALYTICS_MIGRATIONS, applicationName: SERVICE_NAME }),
    // Publishes nothing yet: crm.analytics.profile comes with the profiles.
    MessagingModule.forRoot({ service: SERVICE_NAME }),
    SecurityModule.forRoot(),
    DataScopeModule.forRoot({ table: 'institution', idColumn: 'institution_id', parentColumn: 'parent_id' }),
    AuditModule,
    MetricsModule,
    HealthModule.forRootAsync({
      inject: [DataSource, KafkaReadiness],
      useFactory: (dataSource: DataSource, kafka: KafkaReadiness) => ({
        checks: { postgres: postgresCheck(dataSource), kafka: kafka.check },
      }),
    }),
  ],
  controllers: [DimensionsConsumer, HoldingsConsumer, TransactionsConsumer, PartitionsController],
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
  ],
})
export class AppModule {}
