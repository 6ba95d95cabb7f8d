import { Module } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ConfigModule } from '@crm/config';
import { Topics } from '@crm/contracts';
import { KafkaReadiness, MessagingModule } from '@crm/messaging';
import { HealthModule, MetricsModule, postgresCheck, redisCheck } from '@crm/observability';
import { PersistenceModule, REDIS, RedisModule } from '@crm/persistence';
import { AuditModule, DataScopeModule, SecurityModule, CoverageProjectionRepository } from '@crm/security';
import { AlertInboxController } from './alerts/alert-inbox.controller';
import { AlertInboxService } from './alerts/alert-inbox.service';
import { AlertMetrics } from './alerts/alert-metrics';
import { AlertRaiser } from './alerts/alert-raiser.service';
import { AlertStreamService } from './alerts/alert-stream.service';
import { AlertRepository } from './alerts/alert.repository';
import { ALERT_MIGRATIONS } from './migrations';
import { AlertServiceConfig } from './app.config';
import { CorebankEventsConsumer } from './consumer/corebank-events.consumer';
import { CoverageChangeService } from './coverage/coverage-change.service';
import { CoverageConsumer } from './coverage/coverage.consumer';
import { AlertEngine } from './engine/alert-engine.service';
import { AlertGrpcController } from './grpc/alert-grpc.controller';
import { AlertParametersController } from './parameters/alert-parameters.controller';
import { AlertParametersRepository } from './parameters/alert-parameters.repository';
import { AlertParametersService } from './parameters/alert-parameters.service';
import { ReminderRepository } from './reminders/reminder.repository';
import { ReminderScheduler } from './reminders/reminder.scheduler';
import { ReminderService } from './reminders/reminder.service';
import { FlowEntryRepository } from './windows/flow-entry.repository';
import { FlowWindowStore } from './windows/flow-window.store';
import { AlertRaisedConsumer } from './webhooks/alert-raised.consumer';
import { WebhookController } from './webhooks/webhook.controller';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhookRepository } from './webhooks/webhook.repository';
import { WebhookService } from './webhooks/webhook.service';

export const SERVICE_NAME = 'alert-service';

@Module({
  imports: [
    ConfigModule.forRoot(AlertServiceConfig),
    PersistenceModule.forRoot({ migrations: ALERT_MIGRATIONS, applicationName: SERVICE_NAME }),
    RedisModule,
    MessagingModule.forRoot({ service: SERVICE_NAME, publishes: [Topics.CrmAlert] }),
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
    CorebankEventsConsumer,
    CoverageConsumer,
    AlertInboxController,
    AlertParametersController,
    AlertGrpcController,
    WebhookController,
    AlertRaisedConsumer,
  ],
  providers: [
    AlertEngine,
    AlertRaiser,
    AlertRepository,
    AlertMetrics,
    AlertInboxService,
    AlertStreamService,
    CoverageProjectionRepository,
    CoverageChangeService,
    AlertParametersRepository,
    AlertParametersService,
    ReminderRepository,
    ReminderScheduler,
    ReminderService,
    FlowEntryRepository,
    FlowWindowStore,
    WebhookRepository,
    WebhookService,
    WebhookDeliveryWorker,
  ],
})
export class AppModule {}
