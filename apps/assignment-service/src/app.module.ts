import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigModule } from '@crm/config';
import { Topics } from '@crm/contracts';
import { KafkaReadiness, MessagingModule } from '@crm/messaging';
import { HealthModule, MetricsModule, postgresCheck } from '@crm/observability';
import { PersistenceModule } from '@crm/persistence';
import { AuditModule, DataScopeModule, SecurityModule } from '@crm/security';
import { AssignmentServiceConfig } from './app.config';
import { CoverageQueryService } from './coverage/coverage-query.service';
import { CoverageController } from './coverage/coverage.controller';
import { CoverageRepository } from './coverage/coverage.repository';
import { CoverageService } from './coverage/coverage.service';
import { ManualAssignmentService } from './coverage/manual-assignment.service';
import { AssignmentGrpcController } from './grpc/assignment-grpc.controller';
import { HoldingsConsumer } from './holdings/holdings.consumer';
import { HoldingsRepository } from './holdings/holdings.repository';
import { HoldingsService } from './holdings/holdings.service';
import { ASSIGNMENT_MIGRATIONS } from './migrations';
import { OrganisationConsumer } from './organisation/organisation.consumer';
import { OrganisationController } from './organisation/organisation.controller';
import { OrganisationRepository } from './organisation/organisation.repository';
import { OrganisationService } from './organisation/organisation.service';
import { ParametersController } from './parameters/parameters.controller';
import { ParametersRepository } from './parameters/parameters.repository';
import { ParametersService } from './parameters/parameters.service';
import { VisitController } from './visits/visit.controller';
import { VisitRepository } from './visits/visit.repository';
import { VisitService } from './visits/visit.service';

export const SERVICE_NAME = 'assignment-service';
@Module({
  imports: [
    ConfigModule.forRoot(AssignmentServiceConfig),
    PersistenceModule.forRoot({ migrations: ASSIGNMENT_MIGRATIONS, applicationName: SERVICE_NAME }),
    MessagingModule.forRoot({ service: SERVICE_NAME, publishes: [Topics.CrmAssignment] }),
    SecurityModule.forRoot(),
    DataScopeModule.forRoot({ table: 'institution', idColumn: 'id', parentColumn: 'parent_id' }),
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
    OrganisationConsumer,
    HoldingsConsumer,
    OrganisationController,
    CoverageController,
    ParametersController,
    VisitController,
    AssignmentGrpcController,
  ],
  providers: [
    OrganisationRepository,
    OrganisationService,
    HoldingsRepository,
    HoldingsService,
    CoverageRepository,
    CoverageService,
    CoverageQueryService,
    ManualAssignmentService,
    ParametersRepository,
    ParametersService,
    VisitRepository,
    VisitService,
  ],
})
export class AppModule {}
