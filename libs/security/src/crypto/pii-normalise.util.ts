/** ID numbers and unified social credit codes: no spaces, upper case (the check character X of a resident ID). */
export function normaliseIdNumber(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

const SEPARATORS = /[\s\-().]/g;
const MOBILE = /^1\d{10}$/;

/**
 * Phone numbers in the domestic form: separators removed and the +86 / 0086 country code dropped,
 * so `+86 138-1234-5678` and `13812345678` are the same number (a landline regains its trunk 0).
 */
export function normalisePhone(value: string): string {
  const digits = value.replace(SEPARATORS, '');
  const international = /^(?:\+86|0086)(\d+)$/.exec(digits);
  if (international) return MOBILE.test(international[1]) ? international[1] : `0${international[1]}`;
  if (/^86\d{11}$/.test(digits) && MOBILE.test(digits.slice(2))) return digits.slice(2);
  return digits;
}
