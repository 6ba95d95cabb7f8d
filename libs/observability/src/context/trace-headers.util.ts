import { randomUUID } from 'node:crypto';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const TRACEPARENT_HEADER = 'traceparent';

// Inbound ids end up in every log line: accept only short, plain tokens so a caller cannot inject log content.
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The caller's correlation id when it is well-formed, else a fresh UUID. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_CORRELATION_ID.test(value) ? value : randomUUID();
}

/** The caller's W3C traceparent (version 00) when valid; anything else is dropped rather than propagated. */
export function traceparentFrom(header: string | string[] | undefined): string | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  return value !== undefined && TRACEPARENT.test(value) ? value : undefined;
}
