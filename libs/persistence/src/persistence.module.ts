import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HttpServiceConfig } from '@crm/config';
import { ServiceStorageOptions, serviceDataSourceOptions } from './data-source';

@Module({})
export class PersistenceModule {
  /** The service's data source, on its own schema (DATABASE_SCHEMA), with the URL from the validated config. */
  static forRoot(options: Omit<ServiceStorageOptions, 'url' | 'schema'>): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [HttpServiceConfig],
          useFactory: (config: HttpServiceConfig) =>
            serviceDataSourceOptions({
              ...options,
              schema: schemaOf(config),
              url: config.DATABASE_URL,
            }),
        }),
      ],
    };
  }
}

function schemaOf(config: HttpServiceConfig): string {
  if (!config.DATABASE_SCHEMA)
    throw new Error('DATABASE_SCHEMA is not set: every service with storage owns a schema');
  return config.DATABASE_SCHEMA;
}
