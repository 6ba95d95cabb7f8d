import { readFileSync } from 'node:fs';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  ChannelCredentials,
  ClientReadableStream,
  Metadata,
  ServiceError,
  credentials,
  loadPackageDefinition,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { CUSTOMER_PROTO } from '@crm/contracts';
import { ServiceTokenSource } from '@crm/security';
import { CampaignServiceConfig } from '../app.config';
import { AudienceFilterDto } from '../campaigns/campaign.dto';

/** One customer a search matched, as customer-service streams it. */
export interface CustomerRef {
  id: string;
  primaryInstitutionId?: string;
}

type StreamCall = (
  request: object,
  metadata: Metadata,
  options: { deadline: Date },
) => ClientReadableStream<{
  customers: CustomerRef[];
}>;

export class CustomerDirectoryError extends Error {
  override name = 'CustomerDirectoryError';

  constructor(
    message: string,
    /** gRPC status code, when customer-service answered one. */
    readonly code?: number,
  ) {
    super(message);
  }
}

/**
 * customer-service over gRPC, as this service calls it: with its own service token (role system), TLS when
 * a CA is configured, and a deadline on every call.
 */
@Injectable()
export class CustomerDirectoryClient implements OnApplicationShutdown {
  private readonly client: { StreamCustomerIds: StreamCall; close(): void };
  private readonly tokens: ServiceTokenSource;

  constructor(private readonly config: CampaignServiceConfig) {
    const definition = loadSync(CUSTOMER_PROTO.path, {
      keepCase: false,
      longs: String,
      defaults: false,
      oneofs: true,
    });
    const pkg = loadPackageDefinition(definition) as unknown as {
      crm: {
        customer: {
          v1: {
            CustomerService: new (
              address: string,
              creds: ChannelCredentials,
            ) => CustomerDirectoryClient['client'];
          };
        };
      };
    };
    const channelCredentials = config.CUSTOMER_SERVICE_GRPC_CA_FILE
      ? credentials.createSsl(readFileSync(config.CUSTOMER_SERVICE_GRPC_CA_FILE))
      : credentials.createInsecure();
    this.client = new pkg.crm.customer.v1.CustomerService(
      config.CUSTOMER_SERVICE_GRPC_ADDRESS,
      channelCredentials,
    );
    this.tokens = new ServiceTokenSource(config, 'campaign-service');
  }

  onApplicationShutdown(): void {
    this.client.close();
  }

  /**
   * Every customer `filter` matches among those `institutionId`'s subtree covers, in batches as
   * customer-service streams them. Reading slowly slows the server down.
   */
  async *matching(filter: AudienceFilterDto, institutionId: string): AsyncGenerator<CustomerRef[]> {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${await this.tokens.token()}`);
    const deadline = new Date(Date.now() + this.config.CUSTOMER_SERVICE_STREAM_DEADLINE_MS);
    const call = this.client.StreamCustomerIds(
      { filter, scopeInstitutionId: institutionId, batchSize: 1_000 },
      metadata,
      { deadline },
    );
    try {
      for await (const batch of call) if (batch.customers.length > 0) yield batch.customers;
    } catch (error) {
      const grpc = error as ServiceError;
      throw new CustomerDirectoryError(
        `customer-service refused the audience search: ${grpc.details ?? grpc.message}`,
        grpc.code,
      );
    } finally {
      call.cancel();
    }
  }
}
