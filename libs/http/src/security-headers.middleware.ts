import { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

type Middleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Security headers (helmet) on every response, and `Cache-Control: no-store` on the API's: any of
 * its answers may carry personal data, which no browser or proxy cache may keep.
 * The API's documents are JSON or CSV, never pages: its Content-Security-Policy allows nothing.
 * The Swagger console keeps helmet's default policy, which its own scripts and styles pass.
 */
export function securityHeadersMiddleware(apiPrefix: string, docsPath: string): Middleware {
  const api = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
  const other = helmet();
  return (request, response, next) => {
    const path = request.url ?? '';
    if (path.startsWith(`/${apiPrefix}/`) || path === `/${apiPrefix}`) {
      response.setHeader('Cache-Control', 'no-store');
      return api(request, response, next);
    }
    return (path.startsWith(`/${docsPath}`) ? other : api)(request, response, next);
  };
}
