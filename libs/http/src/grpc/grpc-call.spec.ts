import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/proto-loader';
import { ServiceUnavailableException } from '@nestjs/common';
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
