import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HttpServiceConfig } from '@crm/config';
import { ServiceStorageOptions, serviceDataSourceOptions } from './data-source';

@Module({})
export class PersistenceModule {
  /** The service's data source, on its own schema, with the URL from the validated config. */
  static forRoot(options: Omit<ServiceStorageOptions, 'url'>): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [HttpServiceConfig],
          useFactory: (config: HttpServiceConfig) =>
            serviceDataSourceOptions({ ...options, url: config.DATABASE_URL }),
        }),
      ],
    };
  }
}
