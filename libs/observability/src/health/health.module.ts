import { DynamicModule, FactoryProvider, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HEALTH_OPTIONS, HealthOptions, HealthService } from './health.service';

export interface HealthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...deps: never[]) => HealthOptions | Promise<HealthOptions>;
}

/** `GET /health/live` and `GET /health/ready` (public, outside the /api/v1 prefix). */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    return HealthModule.build([], { provide: HEALTH_OPTIONS, useValue: options });
  }

  /** When the checks need injected clients: `inject: [DataSource], useFactory: (ds) => ({ checks: { postgres: postgresCheck(ds) } })`. */
  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return HealthModule.build(options.imports ?? [], {
      provide: HEALTH_OPTIONS,
      inject: options.inject ?? [],
      useFactory: options.useFactory as (...deps: unknown[]) => HealthOptions | Promise<HealthOptions>,
    });
  }

  private static build(imports: ModuleMetadata['imports'], optionsProvider: Provider): DynamicModule {
    return {
      module: HealthModule,
      imports,
      controllers: [HealthController],
      providers: [optionsProvider, HealthService],
    };
  }
}
