import { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'pino';
import { RequestContext, runWithContext } from '../context/request-context';
import {
  CORRELATION_ID_HEADER,
  TRACEPARENT_HEADER,
  correlationIdFrom,
  traceparentFrom,
} from '../context/trace-headers.util';
import { Metrics } from '../metrics/metrics.service';

/** The parts of an Express request this middleware reads (Express sets `route` once a route matched). */
type RoutedRequest = IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };

export interface HttpObservabilityOptions {
  logger: Logger;
  metrics: Metrics;
}

export const HTTP_REQUEST_DURATION_METRIC = 'http_request_duration_seconds';
// Unmatched paths share one label value: raw URLs would let any caller create unbounded time series.
const UNMATCHED_ROUTE = 'unmatched';

/** The route pattern (`/api/v1/customers/:id`), never the raw URL: it stays low-cardinality and free of ids. */
function routeOf(request: RoutedRequest): string {
  return typeof request.route?.path === 'string'
    ? `${request.baseUrl ?? ''}${request.route.path}`
    : UNMATCHED_ROUTE;
}

/**
 * Express middleware, registered first: runs the request inside its context (correlation id from
 * `x-correlation-id` or a new UUID, W3C traceparent), echoes the correlation id, and when the
 * response is done logs one line and observes the request-duration histogram.
 */
export function httpObservabilityMiddleware({ logger, metrics }: HttpObservabilityOptions) {
  const duration = metrics.histogram({
    name: HTTP_REQUEST_DURATION_METRIC,
    help: 'HTTP request duration in seconds, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    const context: RequestContext = {
      correlationId: correlationIdFrom(request.headers[CORRELATION_ID_HEADER]),
      traceparent: traceparentFrom(request.headers[TRACEPARENT_HEADER]),
    };
    response.setHeader(CORRELATION_ID_HEADER, context.correlationId);

    response.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(request);
      const status = response.statusCode;
      const method = request.method ?? 'UNKNOWN';
      duration.observe({ method, route, status: String(status) }, seconds);
      runWithContext(context, () => {
        const fields = {
          method,
          route,
          status,
          durationMs: Math.round(seconds * 1e4) / 10,
          ...(response.writableFinished ? {} : { aborted: true }),
        };
        if (status >= 500) logger.error(fields, 'request failed');
        else logger.info(fields, 'request completed');
      });
    });

    runWithContext(context, next);
  };
}
