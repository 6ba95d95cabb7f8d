import { normaliseIdNumber, normalisePhone } from './pii-normalise.util';

describe('PII normalisation', () => {
  it.each([
    [' 11010519900307123x', '11010519900307123X'],
    ['110105 19900307 1234', '110105199003071234'],
    ['91350100m000100y43', '91350100M000100Y43'],
  ])('ID number %j → %j', (input, expected) => {
    expect(normaliseIdNumber(input)).toBe(expected);
  });

  it.each([
    ['13812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['0086-138-1234-5678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['(010) 1234-5678', '01012345678'],
    ['+86 10 1234 5678', '01012345678'],
    ['8612345678', '8612345678'],
  ])('phone %j → %j', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });
});
