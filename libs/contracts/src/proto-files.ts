import { join } from 'node:path';

/** The gRPC contracts: .proto files beside this library's sources (sources run as they are, so images have them too). */
const PROTO_DIR = join(__dirname, '..', 'proto');

export const CUSTOMER_PROTO = {
  path: join(PROTO_DIR, 'customer.proto'),
  package: 'crm.customer.v1',
} as const;
export const ASSIGNMENT_PROTO = {
  path: join(PROTO_DIR, 'assignment.proto'),
  package: 'crm.assignment.v1',
} as const;
export const ALERT_PROTO = {
  path: join(PROTO_DIR, 'alert.proto'),
  package: 'crm.alert.v1',
} as const;
export const CAMPAIGN_PROTO = {
  path: join(PROTO_DIR, 'campaign.proto'),
  package: 'crm.campaign.v1',
} as const;
