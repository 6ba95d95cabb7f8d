import { Type } from 'class-transformer';
import { IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { EventHeaders, IsDecimalAmount, toKafkaMessage } from '@crm/contracts';
import { InvalidEventError } from './event-errors';
import { decodeEvent } from './event-validation';

class Counterparty {
  @IsString()
  @IsNotEmpty()
  bankCode!: string;
}

class Payment {
  @IsDecimalAmount()
  amount!: string;

  @ValidateNested()
  @Type(() => Counterparty)
  counterparty!: Counterparty;
}

const message = (data: object) =>
  toKafkaMessage({
    id: 'e-1',
    source: '/test',
    type: 'test.payment.v1',
    specversion: '1.0',
    time: '2026-11-23T09:00:00Z',
    subject: 'C-1',
    data,
  });

const thrownBy = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('decodeEvent', () => {
  it('returns the envelope with the valid payload as the JSON it came as', () => {
    const { headers, value } = message({ amount: '10.50', counterparty: { bankCode: 'ICBC' } });
    const event = decodeEvent(headers, value, Payment);
    expect(event.data).toEqual({ amount: '10.50', counterparty: { bankCode: 'ICBC' } });
    expect(event.subject).toBe('C-1');
  });

  it('keeps a __proto__ key an inert property of the payload', () => {
    const { headers } = message({});
    const value = '{"amount":"10.50","__proto__":{"polluted":true},"counterparty":{"bankCode":"ICBC"}}';
    const event = decodeEvent(headers, value, Payment);
    expect(Object.getPrototypeOf(event.data)).toBe(Object.prototype);
    expect((event.data as unknown as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('names every field at fault, nested ones by path', () => {
    const { headers, value } = message({ amount: 10.5, counterparty: { bankCode: '' } });
    const error = thrownBy(() => decodeEvent(headers, value, Payment));
    expect(error).toBeInstanceOf(InvalidEventError);
    const reason = (error as InvalidEventError).reason;
    expect(reason.startsWith('invalid test.payment.v1 payload: ')).toBe(true);
    expect(reason.replace('invalid test.payment.v1 payload: ', '').split('; ').sort()).toEqual([
      'amount: amount must be a decimal string with at most 2 decimals',
      'amount: amount must be a string',
      'counterparty.bankCode: bankCode should not be empty',
    ]);
  });

  it('rejects a bad envelope before looking at the payload', () => {
    const { headers, value } = message({});
    headers[EventHeaders.SpecVersion] = '0.3';
    expect(() => decodeEvent(headers, value, Payment)).toThrow(
      'invalid envelope: unsupported ce_specversion 0.3',
    );
  });

  it('rejects a type with no contract', () => {
    const { headers, value } = message({});
    expect(() => decodeEvent(headers, value, undefined)).toThrow('unknown event type test.payment.v1');
  });
});
