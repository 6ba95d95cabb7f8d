import { DynamicModule, Module } from '@nestjs/common';
import { DataScopeResolver, INSTITUTION_TABLE, InstitutionTableOptions } from './data-scope.resolver';

@Module({})
export class DataScopeModule {
  /** Provides DataScopeResolver over the service's institution table (which needs a change trigger). */
  static forRoot(institutions: InstitutionTableOptions): DynamicModule {
    return {
      module: DataScopeModule,
      global: true,
      providers: [{ provide: INSTITUTION_TABLE, useValue: institutions }, DataScopeResolver],
      exports: [DataScopeResolver],
    };
  }
}
