/**
 * A handler throws this when the event itself can never be applied (it contradicts what the
 * service knows): retrying cannot help, so it goes straight to the dead-letter topic.
 */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

/** Raised by the consumer for events that fail the envelope or payload contract. */
export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidEventError';
  }
}
