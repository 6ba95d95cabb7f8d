import 'reflect-metadata';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { parse } from 'yaml';
import {
  ASYNCAPI_REGENERATE_COMMAND,
  DEAD_LETTER_MESSAGE,
  EVENT_CATALOG,
  EventHeaders,
  EventTypes,
  Topics,
  buildAsyncApiDocument,
  deadLetterTopicOf,
} from '@crm/contracts';

/** A node of the parsed document, read loosely: a missing key reads as an empty node. */
type Node = { readonly [key: string]: unknown };
type PayloadClass = new () => object;

const text = readFileSync(join(__dirname, 'asyncapi.yaml'), 'utf8');
const doc = parse(text) as Node;

const child = (node: Node | undefined, key: string): Node | undefined => {
  const value = node?.[key];
  return typeof value === 'object' && value !== null ? (value as Node) : undefined;
};
const values = (node: Node | undefined): Node[] =>
  Object.values(node ?? {}).filter((v): v is Node => typeof v === 'object' && v !== null);

/** Follows a local `$ref` (`#/components/...`) to the node it names. */
const resolve = (node: Node | undefined): Node | undefined => {
  const ref = node?.$ref;
  if (typeof ref !== 'string') return node;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Node | undefined>((at, key) => child(at, key.replace(/~1/g, '/').replace(/~0/g, '~')), doc);
  if (!target) throw new Error(`unresolvable $ref ${ref}`);
  return resolve(target);
};

/**
 * What a contract class says, read straight from class-validator and class-transformer (independently of
 * the generator): property names, the required ones (no @IsOptional / @ValidateIf), nested classes (@Type).
 */
function contractOf(cls: PayloadClass) {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const properties = [...new Set(metadatas.map((m) => m.propertyName))].sort();
  const optional = new Set(
    metadatas.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName),
  );
  const nested = metadatas
    .filter((m) => m.type === ValidationTypes.NESTED_VALIDATION)
    .map((m) => {
      const probe = plainToInstance(cls, { [m.propertyName]: m.each ? [{}] : {} }) as Record<string, unknown>;
      const value = probe[m.propertyName];
      const instance = (m.each ? (value as object[])[0] : value) as object;
      return { property: m.propertyName, each: m.each, cls: instance.constructor as PayloadClass };
    });
  return { properties, required: properties.filter((p) => !optional.has(p)), nested };
}

/** Differences between a schema in the document and a class, descending into nested classes. */
function compareSchema(where: string, schema: Node | undefined, cls: PayloadClass, depth = 0): string[] {
  const contract = contractOf(cls);
  const resolved = resolve(schema);
  const documented = Object.keys(child(resolved, 'properties') ?? {}).sort();
  const documentedRequired = [...((resolved?.required as string[] | undefined) ?? [])].sort();
  const problems: string[] = [];
  if (documented.join() !== contract.properties.join()) {
    problems.push(
      `${where}: properties ${documented.join(',')} but ${cls.name} validates ${contract.properties.join(',')}`,
    );
  }
  if (documentedRequired.join() !== contract.required.join()) {
    problems.push(
      `${where}: required ${documentedRequired.join(',')} but ${cls.name} requires ${contract.required.join(',')}`,
    );
  }
  if (depth < 3) {
    for (const n of contract.nested) {
      const property = child(child(resolved, 'properties'), n.property);
      if (!property) continue;
      const inner = n.each ? child(property, 'items') : property;
      if (!inner) problems.push(`${where}.${n.property}: an array of ${n.cls.name} but no items schema`);
      else problems.push(...compareSchema(`${where}.${n.property}`, inner, n.cls, depth + 1));
    }
  }
  return problems;
}

function disagreements(): string[] {
  const problems: string[] = [];
  if (!/^3\.\d+\.\d+$/.test(String(doc.asyncapi)))
    problems.push(`asyncapi version ${String(doc.asyncapi)} is not 3.x`);
  const channels = values(child(doc, 'channels'));
  const messagesOf = (channel: Node) => values(child(channel, 'messages')).map((m) => resolve(m)!);

  for (const definition of EVENT_CATALOG) {
    const channel = channels.find((c) => c.address === definition.topic);
    if (!channel) {
      problems.push(`no channel with address ${definition.topic} (for ${definition.type})`);
      continue;
    }
    const message = messagesOf(channel).find((m) => m.name === definition.type);
    if (!message) {
      problems.push(`channel ${definition.topic} has no message named ${definition.type}`);
      continue;
    }
    problems.push(...compareSchema(definition.type, child(message, 'payload'), definition.payload));
    const ceType = child(child(resolve(child(message, 'headers')), 'properties'), 'ce_type');
    if (ceType?.const !== definition.type)
      problems.push(`${definition.type}: headers do not pin ce_type to the type`);
  }

  for (const channel of channels) {
    if (String(channel.address).endsWith('.dlq')) {
      const names = messagesOf(channel).map((m) => m.name);
      if (names.join() !== DEAD_LETTER_MESSAGE)
        problems.push(`dead-letter channel ${String(channel.address)} carries ${names.join()}`);
      continue;
    }
    for (const message of messagesOf(channel)) {
      const definition = EVENT_CATALOG.find((d) => d.type === message.name);
      if (!definition)
        problems.push(
          `message ${String(message.name)} on ${String(channel.address)} is not in EVENT_CATALOG`,
        );
      else if (definition.topic !== channel.address) {
        problems.push(
          `message ${String(message.name)} is on ${String(channel.address)} but the catalog puts it on ${definition.topic}`,
        );
      }
    }
  }

  const operations = Object.entries(child(doc, 'operations') ?? {}) as [string, Node][];
  for (const [id, operation] of operations) {
    const address = String(resolve(child(operation, 'channel'))?.address);
    // Core banking and the lobby's queueing system publish to the CRM; every other topic is the CRM's own.
    // Dead letters are sent by the CRM service that could not handle the event, whoever published it.
    const expected = /^(corebank|lobby)\./.test(address) && !address.endsWith('.dlq') ? 'receive' : 'send';
    if (operation.action !== expected) problems.push(`operation ${id} on ${address} should ${expected}`);
  }
  const operated = new Set(operations.map(([, o]) => resolve(child(o, 'channel'))?.address));
  for (const channel of channels) {
    if (!operated.has(channel.address)) problems.push(`channel ${String(channel.address)} has no operation`);
  }
  return problems;
}

const failWith = (problems: string[]) => {
  if (problems.length > 0) {
    throw new Error(
      `docs/asyncapi.yaml disagrees with libs/contracts:\n  - ${problems.join('\n  - ')}\n` +
        `Regenerate it from the contracts: ${ASYNCAPI_REGENERATE_COMMAND}`,
    );
  }
};

/** The services' own source files (tests and test fixtures left out). */
function serviceSources(): { path: string; text: string }[] {
  const root = join(__dirname, '..', 'apps');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(path) && !/\btesting\b/.test(path))
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/**
 * Every topic the services' code consumes (through an `@EventPattern` of a catalog event) or names (a
 * `Topics.X` it publishes to or reads), and the dead-letter topic of each one consumed.
 */
function topicsInCode(): Map<string, string> {
  const found = new Map<string, string>();
  const topicOfType = new Map(EVENT_CATALOG.map((d) => [d.type, d.topic]));
  for (const { path, text } of serviceSources()) {
    for (const [, name] of text.matchAll(/@EventPattern\(\s*EventTypes\.(\w+)/g)) {
      const topic = topicOfType.get(EventTypes[name as keyof typeof EventTypes]);
      if (!topic) throw new Error(`${path}: EventTypes.${name} is not in the catalog`);
      found.set(topic, `consumed in apps/${path}`);
      found.set(deadLetterTopicOf(topic), `dead letters of what apps/${path} consumes`);
    }
    for (const [, name] of text.matchAll(/\bTopics\.(\w+)/g))
      found.set(Topics[name as keyof typeof Topics], `named in apps/${path}`);
  }
  return found;
}

describe('docs/asyncapi.yaml', () => {
  it('has a channel for every topic the services consume or name in code, and a dead-letter channel for each one consumed', () => {
    const inCode = topicsInCode();
    // The scan finds what it should: every consumed core-banking topic, and their dead letters.
    expect(inCode.has(Topics.CorebankTransaction)).toBe(true);
    expect(inCode.has(deadLetterTopicOf(Topics.CorebankTransaction))).toBe(true);
    const documented = new Set(values(child(doc, 'channels')).map((c) => String(c.address)));
    failWith(
      [...inCode]
        .filter(([topic]) => !documented.has(topic))
        .map(([topic, where]) => `no channel for ${topic} (${where})`),
    );
  });

  it('describes the dead-letter headers the consumers write', () => {
    const message = resolve(child(child(doc, 'components'), 'messages')?.[DEAD_LETTER_MESSAGE] as Node);
    const documented = Object.keys(child(child(message, 'headers'), 'properties') ?? {});
    const written = Object.entries(EventHeaders)
      .filter(([name]) => name.startsWith('Dlq'))
      .map(([, header]) => header);
    expect(documented.sort()).toEqual(written.sort());
  });

  it("describes every catalog event on its channel with the contract classes' properties, and nothing else", () => {
    failWith(disagreements());
  });

  it('is exactly what the generator builds from the current contracts, key order included', () => {
    failWith(
      JSON.stringify(doc) === JSON.stringify(buildAsyncApiDocument())
        ? []
        : ['the committed document is stale'],
    );
  });
});
