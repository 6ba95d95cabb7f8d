import { gb11643CheckDigit, gb32100CheckChar } from '@crm/contracts';
import type { Prng } from '../core/prng';
import { GIVEN_NAME_CHARS, SURNAMES } from './zhejiang.data';

export const personName = (prng: Prng): string =>
  prng.pick(SURNAMES) + prng.pick(GIVEN_NAME_CHARS) + (prng.chance(0.7) ? prng.pick(GIVEN_NAME_CHARS) : '');

/** A resident ID number consistent with region, birth date and gender (odd sequence digit for men). */
export function residentIdNumber(
  prng: Prng,
  regionCode: string,
  birthDate: string,
  gender: 'male' | 'female',
): string {
  const sequence = prng.digits(2);
  const genderDigit = 2 * prng.int(0, 4) + (gender === 'male' ? 1 : 0);
  const first17 = `${regionCode}${birthDate.replace(/-/g, '')}${sequence}${genderDigit}`;
  return first17 + gb11643CheckDigit(first17);
}

/** GB 11714 organisation code: 8 digits and a check character. */
function organisationCode(prng: Prng): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const body = prng.digits(8);
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
  const check = 11 - (sum % 11);
  return body + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/** Unified social credit code of a company (registration authority 9, type 1) in a region. */
export function unifiedSocialCreditCode(prng: Prng, regionCode: string): string {
  const first17 = `91${regionCode}${organisationCode(prng)}`;
  return first17 + gb32100CheckChar(first17);
}

/** A mobile number on a mainland carrier's prefix. */
export const mobileNumber = (prng: Prng): string =>
  prng.pick([
    '130',
    '133',
    '135',
    '136',
    '138',
    '139',
    '150',
    '152',
    '158',
    '159',
    '170',
    '177',
    '180',
    '186',
    '188',
    '189',
    '191',
    '199',
  ]) + prng.digits(8);
