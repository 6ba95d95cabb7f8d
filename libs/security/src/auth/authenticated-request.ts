import { IncomingHttpHeaders } from 'node:http';
import { AuthenticatedUser } from './authenticated-user';

/** The parts of an HTTP request the security layer reads and writes. */
export interface AuthenticatedRequest {
  headers: IncomingHttpHeaders;
  user?: AuthenticatedUser;
}
