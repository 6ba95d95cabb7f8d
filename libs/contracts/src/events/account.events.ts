import { IsIn, IsOptional } from 'class-validator';
import { IsBoundedText, IsCalendarDate, IsEntityId, RequiredWhen } from '../field.decorators';
import { IsCurrencyCode, IsMoney, Money } from '../money';

/** Wire names: never change. */
export const AccountKind = {
  Current: 'current',
  Savings: 'savings',
  TimeDeposit: 'time-deposit',
  WealthProduct: 'wealth-product',
} as const;
export type AccountKind = (typeof AccountKind)[keyof typeof AccountKind];

/** Kinds that run to a maturity date. */
export const MATURING_ACCOUNT_KINDS: readonly AccountKind[] = [
  AccountKind.TimeDeposit,
  AccountKind.WealthProduct,
];

export const AccountStatus = {
  Active: 'active',
  Dormant: 'dormant',
  Frozen: 'frozen',
  Closed: 'closed',
} as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

export const AccountClosureReason = {
  CustomerRequest: 'customer-request',
  Matured: 'matured',
  Dormancy: 'dormancy',
  BankInitiated: 'bank-initiated',
} as const;
export type AccountClosureReason = (typeof AccountClosureReason)[keyof typeof AccountClosureReason];

const isMaturing = (p: { kind: AccountKind }) => MATURING_ACCOUNT_KINDS.includes(p.kind);

/** Fields that locate an account: whose it is and where it is held. */
class AccountRef {
  @IsEntityId()
  accountId!: string;

  @IsEntityId()
  customerId!: string;

  /** The institution (outlet) holding the account. */
  @IsEntityId()
  institutionId!: string;
}

/**
 * A deposit or wealth account now exists. When core banking first connects it replays existing accounts
 * as openings, so `openedOn` may lie long before the event time and `balance` is the balance at event time.
 */
export class AccountOpenedPayload extends AccountRef {
  @IsIn(Object.values(AccountKind))
  kind!: AccountKind;

  @IsCurrencyCode()
  currency!: string;

  @IsCalendarDate()
  openedOn!: string;

  @RequiredWhen('kind is time-deposit or wealth-product', isMaturing)
  @IsCalendarDate()
  maturityDate?: string;

  @IsBoundedText(32)
  productCode!: string;

  @IsBoundedText(100)
  productName!: string;

  /** Balance at event time: the opening deposit, the principal placed, or the replayed balance. */
  @IsMoney()
  balance!: Money;

  /** The manager who sold the product, when there is one. */
  @IsOptional()
  @IsEntityId()
  managerId?: string;
}

export class AccountClosedPayload extends AccountRef {
  @IsIn(Object.values(AccountKind))
  kind!: AccountKind;

  @IsCalendarDate()
  closedOn!: string;

  @IsIn(Object.values(AccountClosureReason))
  reason!: AccountClosureReason;

  /** What was paid out on closing. */
  @IsMoney()
  closingBalance!: Money;
}

export class AccountStatusChangedPayload extends AccountRef {
  @IsIn(Object.values(AccountStatus))
  from!: AccountStatus;

  @IsIn(Object.values(AccountStatus))
  to!: AccountStatus;

  @IsCalendarDate()
  effectiveOn!: string;

  @IsOptional()
  @IsBoundedText(200)
  reason?: string;
}

/** A time deposit was renewed or redeemed early, or a wealth product's term changed. */
export class AccountMaturityChangedPayload extends AccountRef {
  @IsIn(MATURING_ACCOUNT_KINDS)
  kind!: AccountKind;

  @IsCalendarDate()
  previousMaturityDate!: string;

  @IsCalendarDate()
  maturityDate!: string;

  @IsCalendarDate()
  effectiveOn!: string;

  @IsOptional()
  @IsBoundedText(200)
  reason?: string;
}
