import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigModule } from '@crm/config';
import { Topics } from '@crm/contracts';
import { RateLimitModule } from '@crm/http';
import { KafkaReadiness, MessagingModule } from '@crm/messaging';
import { HealthModule, MetricsModule, postgresCheck } from '@crm/observability';
import { PersistenceModule } from '@crm/persistence';
import { AuditModule, DataScopeModule, SecurityModule } from '@crm/security';
import { AnalyticProfileConsumer } from './analytics/analytic-profile.consumer';
import { AnalyticProfileRepository } from './analytics/analytic-profile.repository';
import { AnalyticProfileService } from './analytics/analytic-profile.service';
import { CustomerServiceConfig } from './app.config';
import { ConsentController } from './consent/consent.controller';
import { ConsentRepository } from './consent/consent.repository';
import { ConsentService } from './consent/consent.service';
import { CustomerController } from './customers/customer.controller';
import { CustomerRepository } from './customers/customer.repository';
import { CustomerService } from './customers/customer.service';
import { CustomerGrpcController } from './grpc/customer-grpc.controller';
import { CUSTOMER_MIGRATIONS } from './migrations';
import { ProjectionConsumer } from './projection/projection.consumer';
import { ProjectionRepository } from './projection/projection.repository';
import { ProjectionService } from './projection/projection.service';
import { ProspectController } from './prospects/prospect.controller';
import { ProspectRepository } from './prospects/prospect.repository';
import { ProspectService } from './prospects/prospect.service';
import { CustomerExportService } from './search/customer-export.service';
import { SearchController } from './search/search.controller';
import { SearchService } from './search/search.service';
import { TagController } from './tags/tag.controller';
import { TagRepository } from './tags/tag.repository';
import { TagService } from './tags/tag.service';

export const SERVICE_NAME = 'customer-service';

@Module({
  imports: [
    ConfigModule.forRoot(CustomerServiceConfig),
    PersistenceModule.forRoot({ migrations: CUSTOMER_MIGRATIONS, applicationName: SERVICE_NAME }),
    MessagingModule.forRoot({ service: SERVICE_NAME, publishes: [Topics.CrmCustomer] }),
    SecurityModule.forRoot(),
    DataScopeModule.forRoot({ table: 'institution', idColumn: 'id', parentColumn: 'parent_id' }),
    RateLimitModule.forRoot({ keyPrefix: `${SERVICE_NAME}:rate-limit:` }),
    AuditModule,
    MetricsModule,
    HealthModule.forRootAsync({
      inject: [DataSource, KafkaReadiness],
      useFactory: (dataSource: DataSource, kafka: KafkaReadiness) => ({
        checks: { postgres: postgresCheck(dataSource), kafka: kafka.check },
      }),
    }),
  ],
  controllers: [
    CustomerController,
    ConsentController,
    TagController,
    SearchController,
    ProspectController,
    CustomerGrpcController,
    ProjectionConsumer,
    AnalyticProfileConsumer,
  ],
  providers: [
    CustomerRepository,
    CustomerService,
    SearchService,
    CustomerExportService,
    ProspectRepository,
    ProspectService,
    ProjectionRepository,
    ProjectionService,
    TagRepository,
    TagService,
    ConsentRepository,
    ConsentService,
    AnalyticProfileRepository,
    AnalyticProfileService,
  ],
})
export class AppModule {}
