import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConfigModule } from '@crm/config';
import { RateLimitModule } from '@crm/http';
import { KafkaReadiness, MessagingModule } from '@crm/messaging';
import { HealthModule, MetricsModule, postgresCheck } from '@crm/observability';
import { serviceDataSourceOptions } from '@crm/persistence';
import { AuditModule, DataScopeModule, SecurityModule } from '@crm/security';
import { CustomerServiceConfig } from './app.config';
import { ConsentRepository } from './consent/consent.repository';
import { CustomerController } from './customers/customer.controller';
import { CustomerRepository } from './customers/customer.repository';
import { CustomerService } from './customers/customer.service';
import { CustomerGrpcController } from './grpc/customer-grpc.controller';
import { CUSTOMER_MIGRATIONS } from './migrations';
import { ProjectionConsumer } from './projection/projection.consumer';
import { ProjectionRepository } from './projection/projection.repository';
import { ProspectController } from './prospects/prospect.controller';
import { ProspectRepository } from './prospects/prospect.repository';
import { ProspectService } from './prospects/prospect.service';
import { CustomerExportService } from './search/customer-export.service';
import { SearchController } from './search/search.controller';
import { SearchService } from './search/search.service';
import { TagRepository } from './tags/tag.repository';

export const SERVICE_NAME = 'customer-service';

@Module({
  imports: [
    ConfigModule.forRoot(CustomerServiceConfig),
    TypeOrmModule.forRootAsync({
      inject: [CustomerServiceConfig],
      useFactory: (config: CustomerServiceConfig) =>
        serviceDataSourceOptions({
          schema: config.DATABASE_SCHEMA,
          url: config.DATABASE_URL,
          migrations: CUSTOMER_MIGRATIONS,
          applicationName: SERVICE_NAME,
        }),
    }),
    MessagingModule.forRoot({ service: SERVICE_NAME }),
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
    SearchController,
    ProspectController,
    CustomerGrpcController,
    ProjectionConsumer,
  ],
  providers: [
    CustomerRepository,
    CustomerService,
    SearchService,
    CustomerExportService,
    ProspectRepository,
    ProspectService,
    ProjectionRepository,
    TagRepository,
    ConsentRepository,
  ],
})
export class AppModule {}
