import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { eventDefinitionOf } from './catalog';
import { MAX_INPUT_DEPTH, inspectInputShape } from './input-shape';
import { passesContract } from './payload-check';

/** One thing wrong with a payload; `path` is dotted (`amount.currency`, `schedule.0.dueDate`). */
export interface PayloadProblem {
  path: string;
  messages: string[];
}

export type PayloadValidation<T> = { ok: true; payload: T } | { ok: false; problems: PayloadProblem[] };

const flatten = (errors: ValidationError[], prefix = ''): PayloadProblem[] =>
  errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ path, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });

/**
 * Checks plain JSON against a payload class. Unknown extra properties are allowed, so producers can add
 * optional fields to a v1 type without breaking consumers.
 */
export function validatePayload<T extends object>(cls: new () => T, data: unknown): PayloadValidation<T> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [{ path: '', messages: ['payload must be a JSON object'] }] };
  }
  const shape = inspectInputShape(data);
  if (shape.tooDeep)
    return {
      ok: false,
      problems: [{ path: '', messages: [`payload nests deeper than ${MAX_INPUT_DEPTH} levels`] }],
    };
  if (shape.nulPaths.length > 0)
    return {
      ok: false,
      problems: shape.nulPaths.map((path) => ({ path, messages: ['must not contain NUL characters'] })),
    };
  if (passesContract(cls, data)) return { ok: true, payload: data as T };
  const payload = plainToInstance(cls, data);
  const problems = flatten(validateSync(payload, { forbidUnknownValues: true }));
  return problems.length === 0 ? { ok: true, payload } : { ok: false, problems };
}

/** Checks an event's data against the payload class its type names in the catalog. */
export function validateEventPayload(type: string, data: unknown): PayloadValidation<object> {
  const definition = eventDefinitionOf(type);
  if (!definition) return { ok: false, problems: [{ path: '', messages: [`unknown event type ${type}`] }] };
  return validatePayload(definition.payload, data);
}

/** One line per problem, for logs and dead-letter reasons. */
export const describeProblems = (problems: PayloadProblem[]): string =>
  problems.map((p) => `${p.path || '(payload)'}: ${p.messages.join('; ')}`).join('\n');
