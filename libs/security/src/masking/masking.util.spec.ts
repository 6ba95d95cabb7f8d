import { maskIdNumber, maskName, maskPhone } from './masking.util';

describe('maskIdNumber', () => {
  it.each([
    ['18-digit resident ID', '110105199003071234', '110***********1234'],
    ['check character x', '11010519900307123x', '110***********123X'],
    ['15-digit legacy ID', '110105900307123', '110********7123'],
    ['unified social credit code', '91350100M000100Y43', '913***********0Y43'],
    ['passport', 'E12345678', 'E******78'],
    ['short value', '123456', '******'],
    ['empty', '', ''],
  ])('%s: %s → %s', (_, input, expected) => {
    expect(maskIdNumber(input)).toBe(expected);
    expect(maskIdNumber(input)).toHaveLength(expected.length);
  });
});

describe('maskPhone', () => {
  it.each([
    ['mobile', '13812345678', '138****5678'],
    ['mobile with country code', '+86 138-1234-5678', '138****5678'],
    ['landline with area code', '010-12345678', '010****5678'],
    ['local landline', '12345678', '****5678'],
    ['short', '95588', '*****'],
    ['empty', '', ''],
  ])('%s: %s → %s', (_, input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each([
    ['张三丰', '张*丰'],
    ['欧阳小明', '欧**明'],
    ['张三', '张*'],
    ['张', '*'],
    ['Alice Wong', 'A********g'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});
