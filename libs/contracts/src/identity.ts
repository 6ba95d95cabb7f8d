import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from './field.decorators';

/** GB 11643-1999 weights for the first 17 digits of a resident identity number (2^(17-i) mod 11). */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character indexed by the weighted sum modulo 11 (ISO 7064 MOD 11-2). */
const RESIDENT_ID_CHECK = '10X98765432';

/** The 18th character of a resident identity number, computed from its first 17 digits. */
export function gb11643CheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('gb11643CheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i];
  return RESIDENT_ID_CHECK[sum % 11];
}

/**
 * An 18-character PRC resident identity number: 6-digit region, 8-digit birth date (a real day,
 * not before 1900), 3-digit sequence (odd for men), and the GB 11643 check character (X upper case).
 */
export function isChineseResidentId(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[1-9]\d{16}[\dX]$/.test(value)) return false;
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isCalendarDate(birth) || birth < '1900-01-01') return false;
  return gb11643CheckDigit(value.slice(0, 17)) === value[17];
}

/** Birth date (`YYYY-MM-DD`) and gender that a valid resident identity number encodes. */
export function residentIdFacts(id: string): { birthDate: string; gender: 'male' | 'female' } {
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** GB 32100-2015 character set: digits and capitals without I, O, S, V, Z. */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights 3^i mod 31 for the first 17 characters. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th character of a unified social credit code, computed from its first 17 characters. */
export function gb32100CheckChar(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => !USCC_CHARSET.includes(c))) {
    throw new RangeError('gb32100CheckChar needs 17 characters of the GB 32100 set');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** An 18-character unified social credit code (统一社会信用代码) with a valid GB 32100 check character. */
export function isUnifiedSocialCreditCode(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value))
    return false;
  return gb32100CheckChar(value.slice(0, 17)) === value[17];
}

const checkedString =
  (name: string, check: (value: unknown) => boolean, message: string) =>
  (options?: ValidationOptions): PropertyDecorator =>
  (target, propertyKey) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyKey as string,
      options,
      validator: { validate: (value: unknown) => check(value), defaultMessage: () => message },
    });

export const IsChineseResidentId = checkedString(
  'isChineseResidentId',
  isChineseResidentId,
  '$property must be an 18-character resident ID number with a valid GB 11643 check digit',
);

export const IsUnifiedSocialCreditCode = checkedString(
  'isUnifiedSocialCreditCode',
  isUnifiedSocialCreditCode,
  '$property must be an 18-character unified social credit code with a valid GB 32100 check character',
);
