import 'reflect-metadata';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type Constraint = {
  async: boolean;
  instance: { validate(value: unknown, args: ValidationArguments): unknown };
};

/** One rule of a property, its constraint implementations looked up once. */
interface CompiledRule {
  metadata: Metadata;
  constraints: Constraint[];
}

interface CompiledProperty {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: CompiledRule[];
  nested: boolean;
}

/** A class's properties and rules; null when it has none (an unknown value to class-validator). */
type CompiledClass = CompiledProperty[] | null;

/** What class-validator looks rules up by: an instance's constructor. */
type AnyClass = abstract new (...args: never[]) => unknown;

const compiled = new Map<AnyClass, CompiledClass>();

/**
 * Whether class-validator would find nothing wrong with `instance` (as `validateSync(instance,
 * { forbidUnknownValues: true })`), without its cost per call: class-validator looks up a class's rules on
 * every call by scanning the rules of every class in the process, which made it most of an event consumer's
 * CPU. The rules and their constraint implementations are looked up here once per class, and the same
 * `validate` functions are called in the same way.
 *
 * A fast yes only: false (also for what it does not reproduce, such as asynchronous constraints) means
 * "ask class-validator", which has the messages. It never says true where class-validator would object.
 */
export function passesContractRules(instance: unknown): boolean {
  return typeof instance === 'object' && instance !== null && checkObject(instance, 0);
}

/** Deeper than this, class-validator is asked (it recurses the same way; the input shape is bounded first). */
const MAX_DEPTH = 64;

function checkObject(object: object, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const properties = compiledClassOf(object.constructor as AnyClass);
  if (!properties) return false;
  for (const property of properties) {
    if (!checkProperty(object, (object as Record<string, unknown>)[property.name], property, depth)) {
      return false;
    }
  }
  return true;
}

function checkProperty(object: object, value: unknown, property: CompiledProperty, depth: number): boolean {
  for (const condition of property.conditions) if (!condition(object, value)) return true;
  for (const rule of property.rules) if (!checkRule(object, value, rule)) return false;
  if (property.nested && value !== undefined) return checkNested(value, depth);
  return true;
}

function checkRule(object: object, value: unknown, { metadata, constraints }: CompiledRule): boolean {
  const args: ValidationArguments = {
    targetName: object.constructor ? object.constructor.name : '',
    property: metadata.propertyName,
    object,
    value,
    constraints: metadata.constraints,
  };
  const each = metadata.each && (Array.isArray(value) || value instanceof Set || value instanceof Map);
  for (const constraint of constraints) {
    if (constraint.async) return false;
    if (!each) {
      // Anything but true (a promise, too) is asked of class-validator.
      if (constraint.instance.validate(value, args) !== true) return false;
      continue;
    }
    const values = value instanceof Map ? value.values() : (value as Iterable<unknown>);
    for (const v of values) if (constraint.instance.validate(v, args) !== true) return false;
  }
  return true;
}

/** class-validator's nested validation: each element of an array, set or map, or the object's own rules. */
function checkNested(value: unknown, depth: number): boolean {
  if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
    const elements = value instanceof Set ? [...value] : value instanceof Map ? [...value.values()] : value;
    return elements.every((element) => element === undefined || checkNested(element, depth + 1));
  }
  return value instanceof Object && checkObject(value, depth + 1);
}

function compiledClassOf(cls: AnyClass): CompiledClass {
  let known = compiled.get(cls);
  if (known === undefined) {
    known = compileClass(cls);
    compiled.set(cls, known);
  }
  return known;
}

function compileClass(cls: AnyClass): CompiledClass {
  const storage = getMetadataStorage();
  // As class-validator asks for them: no groups, `always` off, groups not strict.
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (metadatas.length === 0) return null;
  const byProperty = storage.groupByPropertyName(metadatas);
  return Object.entries(byProperty).map(([name, rules]) => {
    const conditions: CompiledProperty['conditions'] = [];
    const compiledRules: CompiledRule[] = [];
    let nested = false;
    // Rules that cannot be reproduced make the property always "ask class-validator".
    let unsupported = false;
    for (const m of rules) {
      switch (m.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.NESTED_VALIDATION:
          nested = true;
          break;
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED:
          compiledRules.push({
            metadata: m,
            constraints: storage.getTargetValidatorConstraints(m.constraintCls) as unknown as Constraint[],
          });
          break;
        default:
          unsupported = true;
      }
    }
    if (unsupported) {
      compiledRules.push({
        metadata: rules[0],
        constraints: [{ async: true, instance: { validate: () => false } }],
      });
    }
    return { name, conditions, rules: compiledRules, nested };
  });
}
