import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsBoundedText, IsCalendarDate, IsEntityId, IsTimestamp } from '../field.decorators';
import { IsMoney, IsSignedMoney, Money, SignedMoney } from '../money';

/** Where a card was used. Wire names: never change. */
export const CardChannel = { Pos: 'pos', Online: 'online', Mobile: 'mobile', Atm: 'atm' } as const;
export type CardChannel = (typeof CardChannel)[keyof typeof CardChannel];

class CardRef {
  /** The card account (not the card number). */
  @IsEntityId()
  cardId!: string;

  @IsEntityId()
  customerId!: string;

  /** The issuing institution. */
  @IsEntityId()
  institutionId!: string;
}

/** A credit card (贷记卡) was issued, or an existing one is replayed when core banking first connects. */
export class CardIssuedPayload extends CardRef {
  @IsOptional()
  @IsEntityId()
  managerId?: string;

  @IsBoundedText(32)
  productCode!: string;

  @IsBoundedText(100)
  productName!: string;

  /** PAN with the middle six digits masked, e.g. 622588******1234. */
  @IsString()
  @Matches(/^\d{6}\*{6}\d{4}$/, { message: '$property must be a masked card number 6+******+4' })
  maskedCardNumber!: string;

  @IsCalendarDate()
  issuedOn!: string;

  @IsMoney()
  creditLimit!: Money;

  /** Day of the month statements are cut (1-28, so every month has it). */
  @IsInt()
  @Min(1)
  @Max(28)
  statementDay!: number;

  /** Days from statement date to payment due date. */
  @IsInt()
  @Min(1)
  @Max(60)
  paymentDueDays!: number;
}

export class CardStatementIssuedPayload extends CardRef {
  @IsCalendarDate()
  statementDate!: string;

  @IsCalendarDate()
  dueDate!: string;

  @IsMoney()
  statementBalance!: Money;

  @IsMoney()
  minimumPayment!: Money;
}

export class CardPaymentReceivedPayload extends CardRef {
  @IsEntityId()
  paymentId!: string;

  @IsMoney()
  amount!: Money;

  @IsTimestamp()
  receivedAt!: string;

  /** Balance owed after the payment; negative when the customer overpaid. */
  @IsSignedMoney()
  outstandingBalance!: SignedMoney;
}

/** The minimum payment of a statement was not made by its due date (贷记卡逾期). */
export class CardOverduePayload extends CardRef {
  @IsCalendarDate()
  statementDate!: string;

  @IsCalendarDate()
  dueDate!: string;

  @IsInt()
  @Min(1)
  daysOverdue!: number;

  /** Part of the minimum payment still unpaid. */
  @IsMoney()
  overdueAmount!: Money;

  @IsCalendarDate()
  asOf!: string;
}

export class CardSpendPostedPayload extends CardRef {
  @IsEntityId()
  spendId!: string;

  @IsMoney()
  amount!: Money;

  @IsTimestamp()
  postedAt!: string;

  /** ISO 18245 merchant category code. */
  @IsString()
  @Matches(/^\d{4}$/, { message: '$property must be a 4-digit ISO 18245 merchant category code' })
  merchantCategoryCode!: string;

  @IsOptional()
  @IsBoundedText(100)
  merchantName?: string;

  @IsIn(Object.values(CardChannel))
  channel!: CardChannel;
}
