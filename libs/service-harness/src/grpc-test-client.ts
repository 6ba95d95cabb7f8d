import {
  ClientReadableStream,
  Metadata,
  ServiceError,
  credentials,
  loadPackageDefinition,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

type Unary = (
  request: object,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: unknown) => void,
) => void;
type ServerStreaming = (
  request: object,
  metadata: Metadata,
  options: { deadline?: Date },
) => ClientReadableStream<unknown>;

export interface GrpcResult<T = Record<string, unknown>> {
  code: status;
  message?: string;
  response?: T;
}

type ServiceClient = Record<string, Unary | ServerStreaming> & { close(): void };

/** A client of one service of a gRPC contract (libs/contracts/proto), as another bank system would build it. */
export class GrpcTestClient {
  private readonly client: ServiceClient;

  constructor(address: string, contract: { path: string; package: string }, service: string) {
    const definition = loadSync(contract.path, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: false,
      oneofs: true,
    });
    const pkg = contract.package
      .split('.')
      .reduce<Record<string, unknown>>(
        (scope, name) => scope[name] as Record<string, unknown>,
        loadPackageDefinition(definition),
      );
    const Client = pkg[service] as new (address: string, creds: unknown) => ServiceClient;
    this.client = new Client(address, credentials.createInsecure());
  }

  call<T = Record<string, unknown>>(method: string, request: object, token?: string): Promise<GrpcResult<T>> {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) => {
      (this.client[method] as Unary).call(
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

  /** A server-streaming call, to read, pause or cancel. */
  stream<T>(method: string, request: object, token?: string, deadline?: Date): ClientReadableStream<T> {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return (this.client[method] as ServerStreaming).call(this.client, request, metadata, {
      deadline,
    }) as ClientReadableStream<T>;
  }

  /** Reads a server-streaming call to its end: the messages, and the status it ended with. */
  async collect<T>(method: string, request: object, token?: string): Promise<GrpcResult<T[]>> {
    const messages: T[] = [];
    try {
      for await (const message of this.stream<T>(method, request, token)) messages.push(message);
      return { code: status.OK, response: messages };
    } catch (error) {
      return { code: (error as ServiceError).code, message: (error as ServiceError).details };
    }
  }

  close(): void {
    this.client.close();
  }
}
