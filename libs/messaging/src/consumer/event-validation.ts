import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import {
  EnvelopeError,
  EventEnvelope,
  KafkaHeaders,
  MAX_INPUT_DEPTH,
  fromKafkaMessage,
  inspectInputShape,
  passesContract,
} from '@crm/contracts';
import { InvalidEventError } from './event-errors';

/** Turns class-validator's tree into `field.path: message` lines a person can act on. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...describeValidationErrors(e.children ?? [], path)];
  });
}

/** Decodes the Kafka binding and validates the payload against its contract class. */
export function decodeEvent<T extends object>(
  headers: KafkaHeaders,
  value: string | null,
  payloadClass: (new () => T) | undefined,
): EventEnvelope<T> {
  let envelope: EventEnvelope<unknown>;
  try {
    envelope = fromKafkaMessage(headers, value);
  } catch (error) {
    if (error instanceof EnvelopeError) throw new InvalidEventError(`invalid envelope: ${error.reason}`);
    throw error;
  }
  if (!payloadClass) throw new InvalidEventError(`unknown event type ${envelope.type}`);
  // Checked before class-transformer, which recurses per level and would overflow the stack.
  const shape = inspectInputShape(envelope.data, 'data');
  if (shape.tooDeep)
    throw new InvalidEventError(
      `invalid ${envelope.type} payload: nests deeper than ${MAX_INPUT_DEPTH} levels`,
    );
  if (shape.nulPaths.length > 0)
    throw new InvalidEventError(
      `invalid ${envelope.type} payload: NUL characters in ${shape.nulPaths.join(', ')}`,
    );
  // A valid event's data stays the plain JSON: the contract classes carry rules, not behaviour.
  if (passesContract(payloadClass, envelope.data)) return envelope as EventEnvelope<T>;
  const data = plainToInstance(payloadClass, envelope.data);
  // The contracts have no asynchronous constraints: validating synchronously spares a promise per event.
  const problems = describeValidationErrors(validateSync(data, { forbidUnknownValues: true }));
  if (problems.length > 0)
    throw new InvalidEventError(`invalid ${envelope.type} payload: ${problems.join('; ')}`);
  return { ...envelope, data };
}
