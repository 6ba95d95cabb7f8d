import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line, audit record and outgoing event of one request or message should carry. */
export interface RequestContext {
  /** Business correlation id: one customer request or one event chain across services. */
  correlationId: string;
  /** W3C trace context of the caller, passed on unchanged to Kafka headers and outgoing calls. */
  traceparent?: string;
  /** The authenticated caller (JWT sub), set once authentication has succeeded. */
  userId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Records the authenticated caller on the current context (no-op outside a request or message). */
export function setContextUser(userId: string): void {
  const context = storage.getStore();
  if (context) context.userId = userId;
}
