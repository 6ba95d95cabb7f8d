import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Observable } from 'rxjs';
import { Metadata, ServerWritableStream, status } from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/proto-loader';
import { ForbiddenException, ServiceUnavailableException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import {
  AuthErrorCode,
  AuthenticationService,
  Role,
  SharedSecretTokenVerifier,
  signDevToken,
} from '@crm/security';
import { GrpcCallRunner, UndecodableGrpcRequest, loadGrpcContract, toRpcException } from './grpc-call';

describe('toRpcException', () => {
  it('bounds a message that echoes a huge input, which would not fit in the trailer', () => {
    const id = 'x'.repeat(200_000);
    const { message } = toRpcException(new ForbiddenException(`customer ${id} is not yours`)).getError() as {
      message: string;
    };
    expect(message).toHaveLength(1_000);
    expect(message.endsWith('x…')).toBe(true);
    const astral = toRpcException(
      new ForbiddenException(`${'x'.repeat(998)}${'\u{20000}'.repeat(10)}`),
    ).getError() as { message: string };
    expect(astral.message).toBe(`${'x'.repeat(998)}…`);
  });

  it("maps the identity provider's keys being unavailable to UNAVAILABLE, which callers retry", () => {
    const error = new ServiceUnavailableException({
      code: AuthErrorCode.KeysUnavailable,
      message: "The identity provider's keys could not be fetched; try again shortly",
    });
    expect(toRpcException(error).getError()).toEqual({
      code: status.UNAVAILABLE,
      message: "The identity provider's keys could not be fetched; try again shortly",
    });
  });
});

const JWT = {
  JWT_SECRET: 'grpc-call-spec-secret-0123456789abcdef',
  JWT_ISSUER: 'bank-crm-dev',
  JWT_AUDIENCE: 'bank-crm',
};
const verifier = new SharedSecretTokenVerifier({
  secret: JWT.JWT_SECRET,
  issuer: JWT.JWT_ISSUER,
  audience: JWT.JWT_AUDIENCE,
});

describe('GrpcCallRunner', () => {
  const runner = new GrpcCallRunner(new AuthenticationService(verifier), [Role.HeadOfficeAdmin]);
  const metadata = new Metadata();
  metadata.set(
    'authorization',
    `Bearer ${signDevToken({ sub: 'admin', roles: [Role.HeadOfficeAdmin], inst: 'HO' }, JWT)}`,
  );

  const codeOf = async (request: object): Promise<number | undefined> => {
    try {
      await runner.run(request, metadata, async () => 'handled');
      return status.OK;
    } catch (error) {
      return ((error as RpcException).getError() as { code?: number }).code;
    }
  };

  it('answers INVALID_ARGUMENT, not INTERNAL, for a NUL character or a hostile depth, before the handler runs', async () => {
    let deep: object = { leaf: 'x' };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(await codeOf({ customerId: 'C1\u0000' })).toBe(status.INVALID_ARGUMENT);
    expect(await codeOf({ ids: ['C1', '\u0000'] })).toBe(status.INVALID_ARGUMENT);
    expect(await codeOf(deep)).toBe(status.INVALID_ARGUMENT);
    expect(await codeOf({ customerId: 'C1' })).toBe(status.OK);
  });

  it('answers INVALID_ARGUMENT, not INTERNAL, for a message that does not decode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grpc-call-'));
    try {
      const proto = join(dir, 'lookup.proto');
      writeFileSync(
        proto,
        'syntax = "proto3";\npackage test.lookup.v1;\n' +
          'service Lookup { rpc Get(GetRequest) returns (GetRequest); }\nmessage GetRequest { string id = 1; }\n',
      );
      const { Get } = loadGrpcContract(proto)['test.lookup.v1.Lookup'] as ServiceDefinition;
      expect(Get.requestDeserialize(Buffer.from([0x0a, 0x02, 0x43, 0x31]))).toEqual({ id: 'C1' });
      // Field 1, then a length whose varint goes on past the end.
      const undecodable = Get.requestDeserialize(Buffer.from([0x0a, 0xff]));
      expect(undecodable).toBeInstanceOf(UndecodableGrpcRequest);
      expect(await codeOf(undecodable)).toBe(status.INVALID_ARGUMENT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GrpcCallRunner.stream', () => {
  const runner = new GrpcCallRunner(new AuthenticationService(verifier), [Role.System]);
  const metadata = new Metadata();
  metadata.set(
    'authorization',
    `Bearer ${signDevToken({ sub: 'svc', roles: [Role.System], inst: 'HO' }, JWT)}`,
  );

  /** A producer that counts what it was asked for and notes when it was stopped. */
  const counted = (total: number, failAt?: number) => {
    const state = { pulled: 0, stopped: false };
    async function* produce() {
      try {
        for (let i = 0; i < total; i++) {
          if (i === failAt) throw new ForbiddenException('no longer in scope');
          state.pulled++;
          yield { n: i };
        }
      } finally {
        state.stopped = true;
      }
    }
    return { state, produce };
  };

  /** A call whose client reads nothing until `read()`; it then takes every item at once. */
  const slowCall = () => {
    const received: unknown[] = [];
    const held: (() => void)[] = [];
    let reading = false;
    const call = new Writable({
      objectMode: true,
      highWaterMark: 2,
      write(item, _encoding, done) {
        received.push(item);
        if (reading) done();
        else held.push(done);
      },
    });
    const read = () => {
      reading = true;
      held.splice(0).forEach((done) => done());
    };
    return { call: call as unknown as ServerWritableStream<unknown, object>, received, read };
  };

  /** Subscribes as Nest does: every item written to the call. */
  const subscribeLikeNest = (stream: Observable<object>, call: ServerWritableStream<unknown, object>) => {
    const result = { error: undefined as RpcException | undefined, completed: false };
    const subscription = stream.subscribe({
      next: (item) => call.write(item),
      error: (error: RpcException) => (result.error = error),
      complete: () => (result.completed = true),
    });
    return { result, subscription };
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('asks for the next item only when the call has room for it, then runs to the end', async () => {
    const { call, received, read } = slowCall();
    const { state, produce } = counted(100);
    const { result } = subscribeLikeNest(runner.stream({}, metadata, call, produce), call);
    await settle();
    expect(state.pulled).toBe(2);
    read();
    await settle();
    expect(received).toHaveLength(100);
    expect(result).toEqual({ error: undefined, completed: true });
    expect(state.stopped).toBe(true);
  });

  it('stops the producer when the call is cancelled mid-stream', async () => {
    const { call, read } = slowCall();
    const { state, produce } = counted(100);
    const { result, subscription } = subscribeLikeNest(runner.stream({}, metadata, call, produce), call);
    await settle();
    subscription.unsubscribe();
    read();
    await settle();
    expect(state).toEqual({ pulled: 2, stopped: true });
    expect(result.completed).toBe(false);
  });

  it('ends with the status of an error, before or during the stream', async () => {
    const { call, read } = slowCall();
    read();
    const failing = counted(10, 3);
    const during = subscribeLikeNest(runner.stream({}, metadata, call, failing.produce), call);
    const before = subscribeLikeNest(runner.stream({}, new Metadata(), call, counted(10).produce), call);
    const undecodable = subscribeLikeNest(
      runner.stream(new UndecodableGrpcRequest('truncated'), metadata, call, counted(10).produce),
      call,
    );
    await settle();
    expect(failing.state).toEqual({ pulled: 3, stopped: true });
    expect(during.result.error?.getError()).toEqual({
      code: status.PERMISSION_DENIED,
      message: 'no longer in scope',
    });
    expect((before.result.error?.getError() as { code: number }).code).toBe(status.UNAUTHENTICATED);
    expect((undecodable.result.error?.getError() as { code: number }).code).toBe(status.INVALID_ARGUMENT);
  });
});
