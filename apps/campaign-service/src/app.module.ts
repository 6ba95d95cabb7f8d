import { Module } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ConfigModule } from '@crm/config';
import { Topics } from '@crm/contracts';
import { KafkaReadiness, MessagingModule } from '@crm/messaging';
import { HealthModule, MetricsModule, postgresCheck, redisCheck } from '@crm/observability';
import { PersistenceModule, REDIS, RedisModule } from '@crm/persistence';
import { AuditModule, CoverageProjectionRepository, DataScopeModule, SecurityModule } from '@crm/security';
import { AnalyticProfileConsumer } from './analytics/analytic-profile.consumer';
import { AnalyticProfileRepository } from './analytics/analytic-profile.repository';
import { AnalyticProfileService } from './analytics/analytic-profile.service';
import { CampaignServiceConfig } from './app.config';
import { CampaignRepository } from './campaigns/campaign.repository';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignsService } from './campaigns/campaigns.service';
import { CoverageConsumer } from './coverage/coverage.consumer';
import { CampaignGrpcController } from './grpc/campaign-grpc.controller';
import { CustomerFactsConsumer } from './customers/customer-facts.consumer';
import { CustomerFactsRepository } from './customers/customer-facts.repository';
import { CustomerFactsService } from './customers/customer-facts.service';
import { DoNotContactController } from './customers/do-not-contact.controller';
import { ContactDispatcher } from './dispatch/contact-dispatcher.service';
import { DispatchLoop } from './dispatch/dispatch.loop';
import { DispatchRepository } from './dispatch/dispatch.repository';
import { EvaluationController } from './evaluation/evaluation.controller';
import { EvaluationRepository } from './evaluation/evaluation.repository';
import { EvaluationService } from './evaluation/evaluation.service';
import { ContactLedgerController } from './ledger/contact-ledger.controller';
import { ContactLedgerRepository } from './ledger/contact-ledger.repository';
import { ContactLedgerService } from './ledger/contact-ledger.service';
import { LobbyConsumer } from './lobby/lobby.consumer';
import { LobbyController } from './lobby/lobby.controller';
import { LobbyService } from './lobby/lobby.service';
import { LobbyStreamService } from './lobby/lobby-stream.service';
import { LobbyTicketRepository } from './lobby/lobby-ticket.repository';
import { CAMPAIGN_MIGRATIONS } from './migrations';
import { ContactCounterStore } from './policy/contact-counter.store';
import { ContactPolicyController } from './policy/contact-policy.controller';
import { ContactPolicyRepository } from './policy/contact-policy.repository';
import { ContactPolicyService } from './policy/contact-policy.service';
import { OffersController } from './offers/offers.controller';
import { OffersRepository } from './offers/offers.repository';
import { OffersService } from './offers/offers.service';
import { CustomerScope } from './scope/customer-scope';
import { AudienceMaterialiser } from './targets/audience-materialiser.service';
import { CustomerDirectoryClient } from './targets/customer-directory.client';
import { TargetRepository } from './targets/target.repository';
import { TargetsController } from './targets/targets.controller';
import { TargetsService } from './targets/targets.service';
import { TaskRepository } from './tasks/task.repository';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { EventTriggersConsumer } from './triggers/event-triggers.consumer';
import { EventTriggersService } from './triggers/event-triggers.service';

export const SERVICE_NAME = 'campaign-service';

@Module({
  imports: [
    ConfigModule.forRoot(CampaignServiceConfig),
    PersistenceModule.forRoot({ migrations: CAMPAIGN_MIGRATIONS, applicationName: SERVICE_NAME }),
    RedisModule,
    MessagingModule.forRoot({ service: SERVICE_NAME, publishes: [Topics.CrmCampaignContact] }),
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
    CoverageConsumer,
    CustomerFactsConsumer,
    LobbyConsumer,
    EventTriggersConsumer,
    AnalyticProfileConsumer,
    CampaignsController,
    TargetsController,
    ContactPolicyController,
    DoNotContactController,
    TasksController,
    ContactLedgerController,
    OffersController,
    LobbyController,
    EvaluationController,
    CampaignGrpcController,
  ],
  providers: [
    CoverageProjectionRepository,
    CampaignRepository,
    CampaignsService,
    TargetRepository,
    TargetsService,
    AudienceMaterialiser,
    CustomerDirectoryClient,
    CustomerFactsRepository,
    CustomerFactsService,
    CustomerScope,
    ContactPolicyRepository,
    ContactPolicyService,
    ContactCounterStore,
    DispatchRepository,
    ContactDispatcher,
    DispatchLoop,
    TaskRepository,
    TasksService,
    ContactLedgerRepository,
    ContactLedgerService,
    OffersRepository,
    OffersService,
    LobbyTicketRepository,
    LobbyService,
    LobbyStreamService,
    EventTriggersService,
    EvaluationRepository,
    EvaluationService,
    AnalyticProfileRepository,
    AnalyticProfileService,
  ],
})
export class AppModule {}
