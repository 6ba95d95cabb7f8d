import { Client, Metadata, ServiceError, credentials, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { AccessTokenClaims } from '@crm/security';
import {
  FORGED_CURSORS,
  FORGED_IDS,
  ID_NUMBER,
  PHONE,
  SEED,
  Tokens,
  forgedAuthorizations,
  seeded,
} from './fuzz-inputs';

/**
 * The gRPC half of the fuzz: every method of a service's proto gets malformed calls (missing and
 * forged tokens, NUL characters, huge and empty strings, forged ids and cursors, out-of-range numbers,
 * wrong wire types, truncated and random bytes, empty messages). Requests are encoded by hand on the
 * wire, so they can be what no generated client would send. A call may be refused, never fail:
 * no INTERNAL, UNKNOWN or other server-side status, and no unmasked ID or phone number in an answer.
 */

export interface GrpcServiceUnderFuzz {
  name: string;
  address: string;
  protoPath: string;
  tokens: Tokens;
  /** Claims per role, none with pii:read. */
  roleClaims: AccessTokenClaims[];
  /** A plausible request per method name; `{}` for the others. */
  samples: Record<string, object>;
  /**
   * Methods whose accepted call stays open (a live feed): called with a short deadline, and ended by it
   * they count as accepted.
   */
  openEnded?: string[];
}

/** Status code name → calls answered with it. */
export type GrpcTally = Record<string, number>;

/** What a refused call may answer; anything else is the server failing. */
const REFUSALS = new Set<status>([
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.PERMISSION_DENIED,
  status.UNAUTHENTICATED,
  status.RESOURCE_EXHAUSTED,
  status.FAILED_PRECONDITION,
  status.OUT_OF_RANGE,
]);

const LOADER = { keepCase: false, longs: String, enums: String, defaults: false, oneofs: true };
const CALL_DEADLINE_MS = 15_000;
const OPEN_ENDED_DEADLINE_MS = 1_000;
/** Over grpc-js's default 4 MB limit on a received message. */
const OVERSIZED = 5 * 1024 * 1024;

interface Field {
  name: string;
  number: number;
  type: string;
  repeated: boolean;
  fields?: Field[];
}

interface Method {
  name: string;
  path: string;
  /** A server-streaming method: its answers are every message it sent, then its status. */
  responseStream: boolean;
  /** Stays open once accepted (see GrpcServiceUnderFuzz.openEnded). */
  openEnded: boolean;
  fields: Field[];
  serialize(request: object): Buffer;
  deserialize(bytes: Buffer): object;
}

interface GrpcProbe {
  label: string;
  method: Method;
  body: Buffer;
  authorization?: string;
  authenticated: boolean;
}

type MessageDescriptor = {
  field: { name: string; number: number; type: string; label: string; typeName: string }[];
};

type MethodDefinition = {
  path: string;
  responseStream: boolean;
  requestSerialize(request: object): Buffer;
  responseDeserialize(bytes: Buffer): object;
  requestType: { type: MessageDescriptor };
};

function methodsOf(protoPath: string, openEnded: readonly string[]): Method[] {
  const definition = loadSync(protoPath, LOADER) as unknown as Record<string, unknown>;
  // Field type names are as the proto wrote them: relative to the package, or fully qualified.
  const messageNamed = (typeName: string): MessageDescriptor => {
    const name = typeName.replace(/^\./, '');
    const found = Object.keys(definition).find((k) => k === name || k.endsWith(`.${name}`));
    return (definition[found!] as { type: MessageDescriptor }).type;
  };
  const fieldsOf = (type: MessageDescriptor, depth: number): Field[] =>
    type.field.map((f) => ({
      name: f.name,
      number: f.number,
      type: f.type,
      repeated: f.label === 'LABEL_REPEATED',
      ...(f.type === 'TYPE_MESSAGE' && depth < 2
        ? {
            fields: fieldsOf(messageNamed(f.typeName), depth + 1),
          }
        : {}),
    }));
  const methods: Method[] = [];
  for (const entry of Object.values(definition)) {
    if ('format' in (entry as object)) continue;
    for (const [name, method] of Object.entries(entry as Record<string, MethodDefinition>))
      methods.push({
        name,
        path: method.path,
        responseStream: method.responseStream,
        openEnded: openEnded.includes(name),
        fields: fieldsOf(method.requestType.type, 0),
        serialize: (request) => method.requestSerialize(request),
        deserialize: (bytes) => method.responseDeserialize(bytes),
      });
  }
  return methods;
}

// The protobuf wire format, by hand: https://protobuf.dev/programming-guides/encoding/
const WIRE = { varint: 0, fixed64: 1, delimited: 2, fixed32: 5 } as const;

function varint(value: bigint): Buffer {
  let v = BigInt.asUintN(64, value);
  const bytes: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Buffer.from(bytes);
}

const key = (field: number, wire: number) => varint(BigInt((field << 3) | wire));
const varintField = (field: number, value: bigint) => Buffer.concat([key(field, WIRE.varint), varint(value)]);
const delimitedField = (field: number, bytes: Buffer) =>
  Buffer.concat([key(field, WIRE.delimited), varint(BigInt(bytes.length)), bytes]);
const stringField = (field: number, text: string) => delimitedField(field, Buffer.from(text, 'utf8'));

/** Values for a field, encoded; appended to a sample they override it (the last scalar wins). */
function mutationsOf(field: Field, pick: <T>(items: readonly T[]) => T): [string, Buffer][] {
  const n = field.number;
  const wrongWireTypes: [string, Buffer][] = [
    ['as varint', varintField(n, 5n)],
    ['as fixed32', Buffer.concat([key(n, WIRE.fixed32), Buffer.alloc(4, 0xff)])],
    ['as fixed64', Buffer.concat([key(n, WIRE.fixed64), Buffer.alloc(8, 0xff)])],
    ['length past the end', Buffer.concat([key(n, WIRE.delimited), varint(1_000n), Buffer.from('abc')])],
  ];
  switch (field.type) {
    case 'TYPE_STRING': {
      const forged = /cursor/i.test(field.name) ? FORGED_CURSORS : FORGED_IDS;
      const strings: [string, Buffer][] = [
        ['NUL', stringField(n, 'a\u0000b')],
        ['empty', stringField(n, '')],
        ['huge', stringField(n, 'x'.repeat(200_000))],
        ['invalid UTF-8', delimitedField(n, Buffer.from([0x61, 0xff, 0xfe, 0xc0]))],
        ['forged', stringField(n, pick(forged))],
        ['forged', stringField(n, pick(forged))],
        ['forged', stringField(n, pick(forged))],
        ...wrongWireTypes,
      ];
      if (field.repeated) {
        strings.push([
          '10 000 items',
          Buffer.concat(Array.from({ length: 10_000 }, (_, i) => stringField(n, `C${i}`))),
        ]);
        strings.push([
          'a NUL item among good ones',
          Buffer.concat([stringField(n, 'C1'), stringField(n, '\u0000')]),
        ]);
      }
      return strings;
    }
    case 'TYPE_INT32':
    case 'TYPE_INT64':
    case 'TYPE_UINT32':
      return [
        ['-1', varintField(n, -1n)],
        ['0', varintField(n, 0n)],
        ['int32 max', varintField(n, 2_147_483_647n)],
        ['int32 min', varintField(n, -2_147_483_648n)],
        ['2^40', varintField(n, 1n << 40n)],
        ['as string', stringField(n, '50')],
        ...wrongWireTypes.filter(([label]) => label !== 'as varint'),
      ];
    case 'TYPE_BOOL':
      return [
        ['2', varintField(n, 2n)],
        ['2^63', varintField(n, 1n << 63n)],
        ...wrongWireTypes.filter(([label]) => label !== 'as varint'),
      ];
    case 'TYPE_MESSAGE':
      return [
        ['empty message', delimitedField(n, Buffer.alloc(0))],
        ['garbage', delimitedField(n, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]))],
        ...wrongWireTypes,
        ...(field.fields ?? []).flatMap((inner) =>
          mutationsOf(inner, pick).map(([label, bytes]): [string, Buffer] => [
            `.${inner.name} ${label}`,
            delimitedField(n, bytes),
          ]),
        ),
      ];
    default:
      return wrongWireTypes;
  }
}

/** The malformed calls of one method, each with a token of a role the method lets in. */
function malformedProbesOf(
  method: Method,
  sample: Buffer,
  authorize: () => string,
  random: () => number,
): GrpcProbe[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const probe = (label: string, body: Buffer): GrpcProbe => ({
    label,
    method,
    body,
    authorization: authorize(),
    authenticated: true,
  });
  const probes = [
    probe('empty message', Buffer.alloc(0)),
    probe('truncated', sample.subarray(0, Math.max(0, sample.length - 1))),
    probe('wire type 7', Buffer.from([0x0f, 0x01])),
    probe('unknown field', Buffer.concat([sample, varintField(99, 1n), stringField(100, 'x')])),
    probe('field number 0', Buffer.concat([varint(0n), Buffer.from([0x01])])),
    probe('over the size limit', stringField(1, 'x'.repeat(OVERSIZED))),
    ...Array.from({ length: 5 }, () =>
      probe(
        'random bytes',
        Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256))),
      ),
    ),
  ];
  for (const field of method.fields)
    for (const [label, bytes] of mutationsOf(field, pick))
      probes.push(probe(`${field.name} ${label}`, Buffer.concat([sample, bytes])));
  return probes;
}

interface Answer {
  code: status;
  details: string;
  response?: object;
}

/** The answer of a call that ended with `code`, its messages decoded (an undecodable one is DATA_LOSS). */
function answerOf(probe: GrpcProbe, code: status, details: string, messages: Buffer[]): Answer {
  try {
    const decoded = messages.map((bytes) => probe.method.deserialize(bytes));
    return { code, details, response: probe.method.responseStream ? { messages: decoded } : decoded[0] };
  } catch (decodeError) {
    return { code: status.DATA_LOSS, details: `answer not decodable: ${(decodeError as Error).message}` };
  }
}

function call(client: Client, probe: GrpcProbe): Promise<Answer> {
  const metadata = new Metadata();
  if (probe.authorization !== undefined) metadata.set('authorization', probe.authorization);
  const options = {
    deadline: Date.now() + (probe.method.openEnded ? OPEN_ENDED_DEADLINE_MS : CALL_DEADLINE_MS),
  };
  const raw = (bytes: Buffer) => bytes;
  return new Promise((resolve) => {
    if (probe.method.responseStream) {
      const messages: Buffer[] = [];
      const stream = client.makeServerStreamRequest(
        probe.method.path,
        raw,
        raw,
        probe.body,
        metadata,
        options,
      );
      stream.on('data', (bytes: Buffer) => messages.push(bytes));
      stream.on('error', () => undefined); // the status event carries it
      stream.on('status', ({ code, details }: { code: status; details: string }) =>
        resolve(
          answerOf(
            probe,
            probe.method.openEnded && code === status.DEADLINE_EXCEEDED ? status.OK : code,
            details,
            messages,
          ),
        ),
      );
      return;
    }
    client.makeUnaryRequest(
      probe.method.path,
      raw,
      raw,
      probe.body,
      metadata,
      options,
      (error: ServiceError | null, bytes?: Buffer) =>
        resolve(
          error ? { code: error.code, details: error.details } : answerOf(probe, status.OK, '', [bytes!]),
        ),
    );
  });
}

export async function fuzzGrpc(service: GrpcServiceUnderFuzz, failures: string[]): Promise<GrpcTally> {
  const tally: GrpcTally = { calls: 0 };
  const random = seeded(SEED);
  const client = new Client(service.address, credentials.createInsecure());
  // A fresh subject per call, so that the per-principal rate limits do not stand in front of the handlers.
  let subjects = 0;
  const tokenOf = (claims: AccessTokenClaims) =>
    `Bearer ${service.tokens.sign({ ...claims, sub: `${claims.sub}-grpc-${++subjects}` })}`;
  const check = async (probe: GrpcProbe): Promise<Answer> => {
    const answer = await call(client, probe);
    const where = `${service.name} ${probe.method.name} [${probe.label}]`;
    tally.calls++;
    const name = status[answer.code];
    tally[name] = (tally[name] ?? 0) + 1;
    if (answer.code !== status.OK && !REFUSALS.has(answer.code))
      failures.push(`${where}: ${name} ${answer.details.slice(0, 200)}`);
    if (!probe.authenticated && answer.code !== status.UNAUTHENTICATED)
      failures.push(`${where}: ${name} without a valid token`);
    const text = `${answer.details} ${JSON.stringify(answer.response ?? {})}`;
    if (ID_NUMBER.test(text) || PHONE.test(text))
      failures.push(`${where}: an unmasked ID or phone number without pii:read`);
    return answer;
  };
  try {
    for (const method of methodsOf(service.protoPath, service.openEnded ?? [])) {
      const sample = method.serialize(service.samples[method.name] ?? {});
      for (const [label, authorization] of forgedAuthorizations(service.tokens))
        await check({ label, method, body: sample, authorization, authenticated: false });
      const admitted: AccessTokenClaims[] = [];
      for (const claims of service.roleClaims) {
        const answer = await check({
          label: `role ${claims.roles.join()}`,
          method,
          body: sample,
          authorization: tokenOf(claims),
          authenticated: true,
        });
        if (answer.code !== status.PERMISSION_DENIED && answer.code !== status.UNAUTHENTICATED)
          admitted.push(claims);
      }
      const roles = admitted.length > 0 ? admitted : service.roleClaims;
      const authorize = () => tokenOf(roles[Math.floor(random() * roles.length)]);
      for (const probe of malformedProbesOf(method, sample, authorize, random)) await check(probe);
    }
  } finally {
    client.close();
  }
  return tally;
}
