import { DynamicModule, Module, Provider } from '@nestjs/common';
import { BusinessCalendar } from '@crm/calendar';
import { loadConfig } from './load-config';
import { ServiceConfig } from './service.config';

type ConfigClass = new () => object;

/** The config class's ancestors (ServiceConfig, HttpServiceConfig …), so shared libs can inject the base they need. */
function ancestorsOf(cls: ConfigClass): ConfigClass[] {
  const ancestors: ConfigClass[] = [];
  for (
    let parent = Object.getPrototypeOf(cls);
    parent && parent !== Function.prototype;
    parent = Object.getPrototypeOf(parent)
  ) {
    ancestors.push(parent);
  }
  return ancestors;
}

@Module({})
export class ConfigModule {
  /**
   * Validates the environment once at start-up and provides the instance under its own class
   * and under each base config class it extends; a service's config also gives the bank's
   * BusinessCalendar.
   */
  static forRoot<T extends object>(cls: new () => T): DynamicModule {
    const ancestors = ancestorsOf(cls);
    const providers: Provider[] = [
      { provide: cls, useFactory: () => loadConfig(cls) },
      ...ancestors.map((base) => ({ provide: base, useExisting: cls })),
    ];
    if (cls === ServiceConfig || ancestors.includes(ServiceConfig)) {
      providers.push({
        provide: BusinessCalendar,
        inject: [ServiceConfig],
        useFactory: (config: ServiceConfig) => new BusinessCalendar(config.BANK_TIME_ZONE),
      });
    }
    return {
      module: ConfigModule,
      global: true,
      providers,
      exports: providers.map((p) => (p as { provide: ConfigClass }).provide),
    };
  }
}
