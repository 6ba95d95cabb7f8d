import { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { CUSTOMER_PROTO_PACKAGE, CUSTOMER_PROTO_PATH } from './customer-grpc.controller';

/** Serves the gRPC contract (libs/contracts/proto/customer.proto) beside HTTP and the Kafka consumer. */
export function connectGrpcServer(app: INestApplication, port: number, host = '0.0.0.0'): void {
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.GRPC,
      options: {
        package: CUSTOMER_PROTO_PACKAGE,
        protoPath: CUSTOMER_PROTO_PATH,
        url: `${host}:${port}`,
        loader: { keepCase: false, longs: String, enums: String, defaults: false, oneofs: true },
      },
    },
    { inheritAppConfig: false },
  );
}
