import {
  IsISO8601,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { composeDecorators } from './compose-decorators';

/** Longest identifier core banking or the CRM may send (account numbers, UUIDs, employee numbers). */
export const MAX_ID_LENGTH = 64;

/** An opaque identifier: customer, account, loan, card, institution, manager, event. */
export const IsEntityId = (options?: ValidationOptions) =>
  composeDecorators(IsString(options), IsNotEmpty(options), MaxLength(MAX_ID_LENGTH, options));

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for `YYYY-MM-DD` strings that name a real day of the Gregorian calendar. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_SHAPE.test(value)) return false;
  const [year, month, day] = value.split('-').map((part) => Number(part));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A business day as `YYYY-MM-DD` (value dates, due dates, birth dates): no time, no zone. */
export const IsCalendarDate =
  (options?: ValidationOptions): PropertyDecorator =>
  (target, propertyKey) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: () => '$property must be a calendar date YYYY-MM-DD',
      },
    });

/** RFC 3339 date-time with an explicit offset, e.g. `2025-03-01T09:30:00.000+08:00`. */
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A moment in time (booking time, raise time): ISO 8601 with zone, so it is never ambiguous. */
export const IsTimestamp = () =>
  composeDecorators(
    IsISO8601({ strict: true }),
    Matches(TIMESTAMP, { message: '$property must be an ISO 8601 timestamp with a zone offset' }),
  );

/** Six-digit administrative division code (GB/T 2260), e.g. 330106 for Xihu district, Hangzhou. */
export const REGION_CODE = /^[1-9]\d{5}$/;
export const IsRegionCode = () =>
  composeDecorators(IsString(), Matches(REGION_CODE, { message: '$property must be a 6-digit region code' }));

/** Mainland China mobile number without country code. */
export const CHINESE_MOBILE = /^1[3-9]\d{9}$/;
export const IsChineseMobile = () =>
  composeDecorators(
    IsString(),
    Matches(CHINESE_MOBILE, { message: '$property must be a mainland mobile number' }),
  );

/** Annual rate as a decimal fraction string: `0.0435` is 4.35 % a year. */
export const DECIMAL_RATE = /^(0|[1-9]\d{0,2})(\.\d{1,8})?$/;
export const IsDecimalRate = () =>
  composeDecorators(
    IsString(),
    Matches(DECIMAL_RATE, { message: '$property must be a decimal fraction string such as 0.0435' }),
  );

/** Free text from the source system (names, reasons), bounded so one event cannot carry a document. */
export const IsBoundedText = (maxLength: number) =>
  composeDecorators(IsString(), IsNotEmpty(), MaxLength(maxLength));

/**
 * Validates the property when `condition` holds (it is then required) and whenever a value is present.
 * `when` is prose for the AsyncAPI document, which cannot carry the predicate itself.
 */
export const RequiredWhen = <T>(when: string, condition: (payload: T) => boolean) =>
  ValidateIf((payload: object, value: unknown) => condition(payload as T) || value !== undefined, {
    context: { requiredWhen: when },
  });
