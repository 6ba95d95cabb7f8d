// Decorators such as class-transformer's @Type read design-time metadata, so the polyfill loads first.
import 'reflect-metadata';

/** Combines property decorators into one, so a field's validation rule is stated once (contracts stays framework-free). */
export const composeDecorators =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, propertyKey) => {
    for (const decorate of decorators) decorate(target, propertyKey);
  };
