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
              schema: config.DATABASE_SCHEMA,
              url: config.DATABASE_URL,
            }),
        }),
      ],
    };
  }
}
