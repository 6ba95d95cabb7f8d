import { Metadata, status } from '@grpc/grpc-js';
import { ServiceUnavailableException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import {
  AuthErrorCode,
  AuthenticationService,
  Role,
  SharedSecretTokenVerifier,
  signDevToken,
} from '@crm/security';
import { GrpcCallRunner, toRpcException } from './grpc-call';

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
});
