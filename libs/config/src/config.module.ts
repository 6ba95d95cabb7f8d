import { DynamicModule, Module, Provider } from '@nestjs/common';
import { loadConfig } from './load-config';

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
   * and under each base config class it extends.
   */
  static forRoot<T extends object>(cls: new () => T): DynamicModule {
    const providers: Provider[] = [
      { provide: cls, useFactory: () => loadConfig(cls) },
      ...ancestorsOf(cls).map((base) => ({ provide: base, useExisting: cls })),
    ];
    return {
      module: ConfigModule,
      global: true,
      providers,
      exports: providers.map((p) => (p as { provide: ConfigClass }).provide),
    };
  }
}
