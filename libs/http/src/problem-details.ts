import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** Path of the field in the request, e.g. `filters.age.min` or `items[0].amount`. */
  field: string;
  message: string;
}

/** RFC 9457 problem details, with this API's extensions: `code`, `errors`, `correlationId`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path (never the query string, which may hold search terms such as phone numbers). */
  instance: string;
  /** Stable machine-readable reason, e.g. `VALIDATION_FAILED`, `AUTH_TOKEN_EXPIRED`. */
  code?: string;
  errors?: FieldError[];
  /** Quote it to operators: every log line of the request carries it. */
  correlationId?: string;
}

/** `about:blank` when there is no code (the status says it all), else a URN naming the problem type. */
export function problemTypeOf(code: string | undefined): string {
  return code ? `urn:problem-type:crm:${code.toLowerCase().replace(/_/g, '-')}` : 'about:blank';
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
