import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type MetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

export type JsonSchema = Record<string, unknown>;
export type PayloadClass = new () => object;
/** Any class in a payload's hierarchy (metadata targets are classes, typed loosely by class-validator). */
type AnyClass = abstract new (...args: never[]) => unknown;

export interface ContractProperty {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** Where nested classes go: the document's components.schemas, by class name. */
export const schemaRef = (cls: PayloadClass) => ({ $ref: `#/components/schemas/${cls.name}` });

/** Classes from the root of the hierarchy down to `cls`, so inherited fields come first. */
const lineageOf = (cls: PayloadClass): AnyClass[] => {
  const chain: AnyClass[] = [];
  // Function.prototype, above every root class, has no `prototype` of its own: the chain ends there.
  for (
    let c: AnyClass | null = cls;
    c?.prototype !== undefined;
    c = Object.getPrototypeOf(c) as AnyClass | null
  ) {
    chain.unshift(c);
  }
  return chain;
};

/** The class @Type names for a nested property, found by letting class-transformer build one. */
export function nestedClassOf(cls: PayloadClass, property: string, array: boolean): PayloadClass {
  const probe = plainToInstance(cls, { [property]: array ? [{}] : {} }) as Record<string, unknown>;
  const value = array ? (probe[property] as unknown[])[0] : probe[property];
  const nested = (value as object | undefined)?.constructor as PayloadClass | undefined;
  if (!nested || nested === Object) {
    throw new Error(`${cls.name}.${property} is validated as nested but has no @Type(() => Class)`);
  }
  return nested;
}

type SchemaRule = (schema: JsonSchema, constraints: unknown[]) => void;

const setPattern = (schema: JsonSchema, pattern: string, where: string) => {
  if (schema.pattern && schema.pattern !== pattern)
    throw new Error(`${where}: two patterns cannot be expressed`);
  schema.pattern = pattern;
};

/**
 * JSON Schema for each validator contracts use. A validator missing here stops the generator, so the
 * document never silently drops a rule.
 */
const RULES: Record<string, SchemaRule> = {
  isString: (s) => (s.type = 'string'),
  isNotEmpty: (s) => {
    if (s.type === 'string' || s.type === undefined) s.minLength = 1;
  },
  maxLength: (s, [max]) => (s.maxLength = max),
  minLength: (s, [min]) => (s.minLength = min),
  matches: (s, [pattern]) => setPattern(s, (pattern as RegExp).source, 'matches'),
  isIn: (s, [values]) => {
    const allowed = [...(values as unknown[])];
    s.enum = allowed;
    if (allowed.every((v) => typeof v === 'string')) s.type = 'string';
  },
  isBoolean: (s) => (s.type = 'boolean'),
  isInt: (s) => (s.type = 'integer'),
  min: (s, [min]) => (s.minimum = min),
  max: (s, [max]) => (s.maximum = max),
  isArray: (s) => (s.type = 'array'),
  arrayNotEmpty: (s) => (s.minItems = 1),
  arrayMaxSize: (s, [max]) => (s.maxItems = max),
  isIso8601: (s) => {
    s.type = 'string';
    s.format = 'date-time';
  },
  isCalendarDate: (s) => {
    s.type = 'string';
    s.format = 'date';
  },
  isChineseResidentId: (s) => {
    s.type = 'string';
    setPattern(s, '^[1-9]\\d{16}[\\dX]$', 'isChineseResidentId');
    s.description = 'PRC resident ID number; the 18th character is the GB 11643 check digit.';
  },
  isUnifiedSocialCreditCode: (s) => {
    s.type = 'string';
    setPattern(s, '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', 'isUnifiedSocialCreditCode');
    s.description = 'Unified social credit code; the 18th character is the GB 32100 check character.';
  },
  isParentInstitutionId: (s) => {
    s.type = ['string', 'null'];
    s.minLength = 1;
    s.maxLength = 64;
    s.description = 'Null for the head office, the parent institution id otherwise.';
  },
};

const KEY_ORDER = [
  '$ref',
  'type',
  'format',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'description',
];

/** Same keys in one fixed order, so the document reads alike everywhere and diffs stay small. */
const inReadingOrder = (schema: JsonSchema): JsonSchema => {
  const unknown = Object.keys(schema).filter((key) => !KEY_ORDER.includes(key));
  if (unknown.length > 0) throw new Error(`schema keys without a place in KEY_ORDER: ${unknown.join(', ')}`);
  return Object.fromEntries(KEY_ORDER.filter((key) => key in schema).map((key) => [key, schema[key]]));
};

/** The validated properties of a payload class, in declaration order (inherited first), as JSON Schema. */
export function contractPropertiesOf(cls: PayloadClass, nested: Set<PayloadClass>): ContractProperty[] {
  const lineage = lineageOf(cls);
  const metadatas = [...getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)].sort(
    (a, b) => lineage.indexOf(a.target as AnyClass) - lineage.indexOf(b.target as AnyClass),
  );
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadatas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);

  return [...byProperty].map(([name, rules]) => {
    const where = `${cls.name}.${name}`;
    const schema: JsonSchema = {};
    const items: JsonSchema = {};
    let required = true;
    const descriptions: string[] = [];
    for (const m of rules) {
      if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        required = false;
        const when = (m.context as { requiredWhen?: string } | undefined)?.requiredWhen;
        if (when) descriptions.push(`Required when ${when}.`);
      } else if (m.type === ValidationTypes.NESTED_VALIDATION) {
        const nestedClass = nestedClassOf(cls, name, m.each);
        nested.add(nestedClass);
        if (m.each) {
          schema.type = 'array';
          Object.assign(items, schemaRef(nestedClass));
        } else {
          Object.assign(schema, schemaRef(nestedClass));
        }
      } else if (m.type === ValidationTypes.CUSTOM_VALIDATION && m.name && RULES[m.name]) {
        const target = m.each ? items : schema;
        if (m.each) schema.type = 'array';
        RULES[m.name](target, m.constraints ?? []);
      } else {
        throw new Error(
          `${where}: no JSON Schema mapping for validator ${m.name ?? m.type}; add one to RULES`,
        );
      }
    }
    if (schema.$ref) {
      // A $ref stands alone in draft-07: keep only the reference.
      for (const key of Object.keys(schema)) if (key !== '$ref') delete schema[key];
    }
    if (Object.keys(items).length > 0) schema.items = inReadingOrder(items);
    if (typeof schema.description === 'string') descriptions.unshift(schema.description);
    if (descriptions.length > 0 && !schema.$ref) schema.description = descriptions.join(' ');
    return { name, required, schema: inReadingOrder(schema) };
  });
}

/** An object schema for a payload class; nested classes it references are added to `nested`. */
export function objectSchemaOf(cls: PayloadClass, nested: Set<PayloadClass>): JsonSchema {
  const properties = contractPropertiesOf(cls, nested);
  return {
    type: 'object',
    properties: Object.fromEntries(properties.map((p) => [p.name, p.schema])),
    required: properties.filter((p) => p.required).map((p) => p.name),
  };
}
