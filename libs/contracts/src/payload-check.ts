import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type Constraint = {
  async: boolean;
  instance: { validate(value: unknown, args: ValidationArguments): unknown };
};

/** What class-validator and class-transformer look rules up by: a class. */
type AnyClass = abstract new (...args: never[]) => unknown;

type PlainObject = Record<string, unknown>;

/** One value against one rule: true only where class-validator surely says yes. */
type ValueCheck = (value: unknown, object: PlainObject) => boolean;

interface CompiledProperty {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: ValueCheck[];
  /** Under @ValidateNested: the class a plain object here becomes (its @Type), null when it has none. */
  nested: { cls: AnyClass | null } | null;
}

/** A class's properties and rules; null when it has none (an unknown value to class-validator). */
type CompiledClass = CompiledProperty[] | null;

const compiled = new Map<AnyClass, CompiledClass>();

/**
 * Whether class-validator would find nothing wrong with the plain JSON `data` once class-transformer made it
 * a `cls` (as `validateSync(plainToInstance(cls, data), { forbidUnknownValues: true })`), without either's
 * cost per event: together they were a fifth of an event consumer's CPU. The rules, their constraint
 * implementations and the nested classes are looked up once per class; the common constraints are checked
 * inline and any other with class-validator's own `validate`.
 *
 * A fast yes only: false (also for what it does not reproduce, such as asynchronous constraints) means
 * "ask class-validator", which has the messages. It never says true where class-validator would object to
 * JSON (no Set, Map, NaN or -0 in it).
 */
export function passesContract(cls: AnyClass, data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && checkObject(cls, data, 0);
}

/** Deeper than this, class-validator is asked (it recurses the same way; the input shape is bounded first). */
const MAX_DEPTH = 64;

function checkObject(cls: AnyClass, object: object, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  const properties = compiledClassOf(cls);
  if (!properties) return false;
  for (const property of properties) {
    if (!checkProperty(object as PlainObject, property, depth)) return false;
  }
  return true;
}

function checkProperty(object: PlainObject, property: CompiledProperty, depth: number): boolean {
  const value = object[property.name];
  for (const condition of property.conditions) if (!condition(object, value)) return true;
  for (const check of property.checks) if (!check(value, object)) return false;
  if (property.nested && value !== undefined) return checkNested(property.nested.cls, value, depth);
  return true;
}

/** class-validator's nested validation: each element of an array, or the object by its class's rules. */
function checkNested(cls: AnyClass | null, value: unknown, depth: number): boolean {
  if (Array.isArray(value)) {
    return value.every((element) => element === undefined || checkNested(cls, element, depth + 1));
  }
  // Without @Type the object stays a plain one, which class-validator rejects as an unknown value.
  return cls !== null && typeof value === 'object' && value !== null && checkObject(cls, value, depth + 1);
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
  const metadatas = storage.getTargetValidationMetadatas(cls as never, '', false, false, undefined);
  if (metadatas.length === 0) return null;
  const byProperty = storage.groupByPropertyName(metadatas);
  return Object.entries(byProperty).map(([name, rules]) => {
    const conditions: CompiledProperty['conditions'] = [];
    const checks: ValueCheck[] = [];
    let nested: CompiledProperty['nested'] = null;
    for (const m of rules) {
      switch (m.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(m.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.NESTED_VALIDATION:
          nested = { cls: nestedClassOf(cls, name) };
          break;
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED:
          checks.push(
            compileRule(m, storage.getTargetValidatorConstraints(m.constraintCls) as unknown as Constraint[]),
          );
          break;
        default:
          // A rule that cannot be reproduced makes the property always "ask class-validator".
          checks.push(() => false);
      }
    }
    return { name, conditions, checks, nested };
  });
}

/** The class class-transformer makes a property's plain object into: its @Type, if any. */
function nestedClassOf(cls: AnyClass, property: string): AnyClass | null {
  const type = defaultMetadataStorage.findTypeMetadata(cls as never, property);
  const nestedClass = type?.typeFunction?.() as AnyClass | undefined;
  return typeof nestedClass === 'function' ? nestedClass : null;
}

function compileRule(metadata: Metadata, constraints: Constraint[]): ValueCheck {
  if (constraints.some((c) => c.async)) return () => false;
  const inline = inlineCheckOf(metadata);
  const viaClassValidator = (value: unknown, object: PlainObject): boolean => {
    const args: ValidationArguments = {
      targetName: metadata.target instanceof Function ? metadata.target.name : '',
      property: metadata.propertyName,
      object,
      value,
      constraints: metadata.constraints,
    };
    // Anything but true (a promise, too) is asked of class-validator.
    return constraints.every((c) => c.instance.validate(value, args) === true);
  };
  const one: ValueCheck = inline
    ? (value, object) => inline(value) || viaClassValidator(value, object)
    : viaClassValidator;
  if (!metadata.each) return one;
  return (value, object) =>
    Array.isArray(value) ? value.every((element) => one(element, object)) : one(value, object);
}

/**
 * The common constraints as class-validator 0.14 with validator 13 implement them, each at most as lenient:
 * a false here falls back to the constraint's own `validate`, so only a yes has to be exact.
 */
function inlineCheckOf(metadata: Metadata): ((value: unknown) => boolean) | null {
  const [first] = metadata.constraints ?? [];
  switch (metadata.name) {
    case 'isString':
      return (v) => typeof v === 'string';
    case 'isNotEmpty':
      return (v) => v !== '' && v !== null && v !== undefined;
    case 'maxLength':
      // validator counts a surrogate pair or a presentation sequence as one, so its length is at most this.
      return typeof first === 'number' ? (v) => typeof v === 'string' && v.length <= first : null;
    case 'isIn': {
      if (!Array.isArray(first)) return null;
      const allowed = new Set(first);
      return (v) => allowed.has(v);
    }
    case 'matches':
      return first instanceof RegExp && !first.global && !first.sticky
        ? (v) => typeof v === 'string' && first.test(v)
        : null;
    case 'isInt':
      return (v) => typeof v === 'number' && Number.isInteger(v);
    case 'min':
      return typeof first === 'number' ? (v) => typeof v === 'number' && v >= first : null;
    case 'max':
      return typeof first === 'number' ? (v) => typeof v === 'number' && v <= first : null;
    case 'isBoolean':
      return (v) => typeof v === 'boolean';
    case 'isArray':
      return (v) => Array.isArray(v);
    case 'arrayNotEmpty':
      return (v) => Array.isArray(v) && v.length > 0;
    case 'arrayMaxSize':
      return typeof first === 'number' ? (v) => Array.isArray(v) && v.length <= first : null;
    default:
      return null;
  }
}
