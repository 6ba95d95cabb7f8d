import { validateSync } from 'class-validator';
import {
  IsChineseResidentId,
  IsUnifiedSocialCreditCode,
  gb11643CheckDigit,
  gb32100CheckChar,
  isChineseResidentId,
  isUnifiedSocialCreditCode,
  residentIdFacts,
} from './identity';

describe('GB 11643 resident identity numbers', () => {
  // Check digits worked by hand: sum of digit x weight (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) mod 11 -> "10X98765432".
  it.each([
    ['11010519491231002', 'X'], // sum 167, mod 11 = 2
    ['11010119900307447', '7'], // sum 214, mod 11 = 5
    ['33010619850715002', '1'], // sum 253, mod 11 = 0
  ])('computes the check digit of %s', (first17, expected) => {
    expect(gb11643CheckDigit(first17)).toBe(expected);
  });

  it.each(['11010519491231002X', '110101199003074477', '330106198507150021'])('accepts %s', (id) => {
    expect(isChineseResidentId(id)).toBe(true);
  });

  it.each([
    ['a wrong check digit', '110101199003074478'],
    ['a lower-case x', '11010519491231002x'],
    // The next three carry a correct check digit, so only the named defect makes them invalid.
    ['an impossible birth date', '11010119900230447X'],
    ['a birth year before 1900', '110101189003074478'],
    ['a region starting with 0', '010101199003074473'],
    ['17 characters', '11010119900307447'],
    ['a number', 12345],
  ])('rejects %s', (_why, id) => {
    expect(isChineseResidentId(id)).toBe(false);
  });

  it('reads birth date and gender (odd 17th digit: male)', () => {
    expect(residentIdFacts('110101199003074477')).toEqual({ birthDate: '1990-03-07', gender: 'male' });
    expect(residentIdFacts('330106198507150021')).toEqual({ birthDate: '1985-07-15', gender: 'female' });
  });

  it('refuses to compute a check digit from anything but 17 digits', () => {
    expect(() => gb11643CheckDigit('1234')).toThrow(RangeError);
  });
});

describe('GB 32100 unified social credit codes', () => {
  it('accepts a published sample and computes its check character', () => {
    expect(isUnifiedSocialCreditCode('91350100M000100Y43')).toBe(true);
    expect(gb32100CheckChar('91350100M000100Y4')).toBe('3');
  });

  it.each([
    ['a wrong check character', '91350100M000100Y44'],
    ['a letter outside the GB 32100 set', '91350100M000100I43'],
    ['17 characters', '91350100M000100Y4'],
  ])('rejects %s', (_why, code) => {
    expect(isUnifiedSocialCreditCode(code)).toBe(false);
  });
});

describe('identity decorators', () => {
  class Holder {
    @IsChineseResidentId()
    idNumber!: unknown;

    @IsUnifiedSocialCreditCode()
    creditCode!: unknown;
  }

  const check = (idNumber: unknown, creditCode: unknown) =>
    validateSync(Object.assign(new Holder(), { idNumber, creditCode })).map((e) => e.property);

  it('pass valid numbers and name the field at fault', () => {
    expect(check('11010519491231002X', '91350100M000100Y43')).toEqual([]);
    expect(check('110101199003074478', '91350100M000100Y43')).toEqual(['idNumber']);
    expect(check('11010519491231002X', 'not-a-code')).toEqual(['creditCode']);
  });
});
