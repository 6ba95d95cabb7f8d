import { status } from '@grpc/grpc-js';
import { ServiceUnavailableException } from '@nestjs/common';
import { AuthErrorCode } from '@crm/security';
import { toRpcException } from './grpc-call';

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
