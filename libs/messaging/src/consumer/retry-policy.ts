import { PermanentEventError } from './event-errors';

export interface RetryPolicy {
  /** Attempts for a failing handler before its event is dead-lettered. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 30_000 };

/** Exponential backoff: initial, 2×, 4× … capped. Deterministic, so tests can reason about it. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

// Connection-level failures of PostgreSQL, Redis or the network: the event is fine, the
// infrastructure is not, so the event must wait for it rather than be dead-lettered.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const POSTGRES_OUTAGE_SQLSTATE = /^(08|53|57P0[1-3]|40001|40P01)/;
const OUTAGE_MESSAGES =
  /Connection terminated|connection is closed|Connection is closed|the database system is (starting up|shutting down)|timeout exceeded when trying to connect|MaxRetriesPerRequestError/i;

export function isInfrastructureOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_OUTAGE_SQLSTATE.test(code)))
    return true;
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError && driverError !== error && isInfrastructureOutage(driverError)) return true;
  return OUTAGE_MESSAGES.test(error.message);
}

export type FailureDecision =
  { action: 'retry'; delayMs: number } | { action: 'dead-letter'; reason: string };

/**
 * What to do after attempt `attempt` failed: outages are waited out indefinitely (nothing is
 * lost while a database restarts); a permanent error, or one that outlives the attempts, is
 * dead-lettered so one poison event cannot stall its partition.
 */
export function decideOnFailure(policy: RetryPolicy, attempt: number, error: unknown): FailureDecision {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof PermanentEventError)
    return { action: 'dead-letter', reason: `rejected by handler: ${message}` };
  if (isInfrastructureOutage(error)) return { action: 'retry', delayMs: backoffDelay(policy, attempt) };
  if (attempt >= policy.maxAttempts) {
    return { action: 'dead-letter', reason: `handler failed ${attempt} times: ${message}` };
  }
  return { action: 'retry', delayMs: backoffDelay(policy, attempt) };
}
