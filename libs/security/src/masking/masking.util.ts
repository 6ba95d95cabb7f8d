import { normaliseIdNumber, normalisePhone } from '../crypto/pii-normalise.util';

const stars = (count: number): string => '*'.repeat(Math.max(count, 0));

/**
 * Resident IDs (18 or legacy 15 digits) and 18-character corporate credit codes keep the first 3
 * and last 4 characters: `110***********1234`. Shorter documents (passports, permits) keep the
 * first and the last 2; anything of 6 characters or fewer is hidden entirely.
 */
export function maskIdNumber(value: string): string {
  const id = normaliseIdNumber(value);
  if (id.length >= 15) return `${id.slice(0, 3)}${stars(id.length - 7)}${id.slice(-4)}`;
  if (id.length >= 7) return `${id.slice(0, 1)}${stars(id.length - 3)}${id.slice(-2)}`;
  return stars(id.length);
}

/** Mobile numbers keep the first 3 and last 4 digits (`138****5678`); short numbers only the last 4. */
export function maskPhone(value: string): string {
  const phone = normalisePhone(value);
  if (phone.length >= 11) return `${phone.slice(0, 3)}${stars(phone.length - 7)}${phone.slice(-4)}`;
  if (phone.length >= 7) return `${stars(phone.length - 4)}${phone.slice(-4)}`;
  return stars(phone.length);
}

/** Keeps the first and last character: `张*三`, `欧**明`, a two-character name keeps its surname: `张*`. */
export function maskName(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length <= 1) return stars(chars.length);
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${stars(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** A birth date (`YYYY-MM-DD`) keeps its year: `1990-**-**`. With the region code, the full date would give away most of a resident ID. */
export function maskBirthDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value.slice(0, 4)}-**-**` : stars(value.length);
}
