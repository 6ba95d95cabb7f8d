import { composeDecorators } from './compose-decorators';
import { IsIn, IsNotEmpty, IsString, Matches, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ISO_4217_CODES } from './iso-4217';

/** Up to 18 integer digits and 2 decimals: fits numeric(20,2). Never a JS number. */
export const DECIMAL_AMOUNT = /^-?(0|[1-9]\d{0,17})(\.\d{1,2})?$/;

/** A decimal string amount, validated on receipt (events) and in DTOs alike. */
export const IsDecimalAmount = (opts: { nonNegative?: boolean } = {}) =>
  composeDecorators(
    IsString(),
    Matches(opts.nonNegative ? /^(0|[1-9]\d{0,17})(\.\d{1,2})?$/ : DECIMAL_AMOUNT, {
      message: `$property must be a decimal string with at most 2 decimals${opts.nonNegative ? ', not negative' : ''}`,
    }),
  );

/** A code of ISO 4217's list of currencies in use: three capital letters are not enough (XYZ). */
export const IsCurrencyCode = () =>
  composeDecorators(
    IsString(),
    IsIn([...ISO_4217_CODES], { message: '$property must be an ISO 4217 currency code in use, such as CNY' }),
  );

export class Money {
  @IsDecimalAmount({ nonNegative: true })
  amount!: string;

  @IsCurrencyCode()
  currency!: string;
}

export class SignedMoney {
  @IsDecimalAmount()
  amount!: string;

  @IsCurrencyCode()
  currency!: string;
}

export const IsMoney = () =>
  composeDecorators(
    IsNotEmpty(),
    ValidateNested(),
    Type(() => Money),
  );
export const IsSignedMoney = () =>
  composeDecorators(
    IsNotEmpty(),
    ValidateNested(),
    Type(() => SignedMoney),
  );
