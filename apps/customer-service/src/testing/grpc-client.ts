import { ServiceError, credentials, loadPackageDefinition, Metadata, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { CUSTOMER_PROTO_PATH } from '../grpc/customer-grpc.controller';

type Unary = (
  request: object,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;

export interface GrpcResult<T = Record<string, unknown>> {
  code: status;
  message?: string;
  response?: T;
}

/** A client of the customer.proto contract, as another bank system would build it. */
export class CustomerGrpcClient {
  private readonly client: Record<string, Unary> & { close(): void };

  constructor(address: string) {
    const definition = loadSync(CUSTOMER_PROTO_PATH, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: false,
      oneofs: true,
    });
    const pkg = loadPackageDefinition(definition) as unknown as {
      crm: {
        customer: {
          v1: { CustomerService: new (address: string, creds: unknown) => CustomerGrpcClient['client'] };
        };
      };
    };
    this.client = new pkg.crm.customer.v1.CustomerService(address, credentials.createInsecure());
  }

  call<T = Record<string, unknown>>(method: string, request: object, token?: string): Promise<GrpcResult<T>> {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) => {
      this.client[method].call(
        this.client,
        request,
        metadata,
        (error: ServiceError | null, response: unknown) => {
          resolve(
            error
              ? { code: error.code, message: error.details }
              : { code: status.OK, response: response as T },
          );
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
