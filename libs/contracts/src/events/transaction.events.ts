import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { IsBoundedText, IsCalendarDate, IsEntityId, IsTimestamp, RequiredWhen } from '../field.decorators';
import { IsMoney, IsSignedMoney, Money, SignedMoney } from '../money';

/** ISO 20022 CreditDebitCode. Wire names: never change. */
export const CreditDebitIndicator = { Credit: 'CRDT', Debit: 'DBIT' } as const;
export type CreditDebitIndicator = (typeof CreditDebitIndicator)[keyof typeof CreditDebitIndicator];

export const TransactionChannel = {
  Counter: 'counter',
  Atm: 'atm',
  Mobile: 'mobile',
  Online: 'online',
  Pos: 'pos',
  Batch: 'batch',
} as const;
export type TransactionChannel = (typeof TransactionChannel)[keyof typeof TransactionChannel];

/** `DOMAIN-FAMILY-SUBFAMILY`, each four capitals, after the ISO 20022 bank transaction code structure. */
export const BANK_TRANSACTION_CODE = /^[A-Z]{4}-[A-Z]{4}-[A-Z]{4}$/;

/**
 * The codes this bank uses (ISO 20022 external code list names). Consumers must accept any code of the
 * pattern; these are the ones rules key on.
 */
export const BankTransactionCodes = {
  /** Salary or pension received. */
  SalaryReceived: 'PMNT-RCDT-SALA',
  /** Domestic credit transfer received (from this bank or another). */
  TransferReceived: 'PMNT-RCDT-DMCT',
  /** Domestic credit transfer sent (to this bank or another). */
  TransferSent: 'PMNT-ICDT-DMCT',
  /** Book transfer between two accounts of this bank. */
  BookTransferIn: 'PMNT-RCDT-BOOK',
  BookTransferOut: 'PMNT-ICDT-BOOK',
  /** Payroll paid out by an employer (one batch entry). */
  PayrollSent: 'PMNT-ICDT-SALA',
  /** Standing order (utilities, rent) paid. */
  StandingOrder: 'PMNT-ICDT-STDO',
  /** Direct debit collected by a biller (electricity, water, phone). */
  DirectDebit: 'PMNT-RDDT-PMDD',
  /** Debit card purchase at a point of sale or online. */
  CardPurchase: 'PMNT-CCRD-POSD',
  /** Cash withdrawal at an ATM or counter. */
  CashWithdrawal: 'PMNT-CCRD-CWDL',
  /** Cash deposit at a counter or cash-recycling ATM. */
  CashDeposit: 'PMNT-CNTR-CDPT',
  /** Loan drawdown credited to the borrower. */
  LoanDrawdown: 'LDAS-CSLN-DDWN',
  /** Loan instalment debited from the borrower. */
  LoanRepayment: 'LDAS-CSLN-RPMT',
  /** Credit card bill paid from a deposit account. */
  CardBillPayment: 'PMNT-ICDT-CCBP',
  /** Time deposit or wealth product paid out at maturity. */
  DepositMaturity: 'LDAS-FTDP-RPMT',
  /** Interest credited by the bank. */
  InterestCredited: 'ACMT-MCOP-INTR',
} as const;

/** The counterparty's bank: this bank, or another one named by its CNAPS participant code. */
export class CounterpartyAgent {
  @IsBoolean()
  sameBank!: boolean;

  /** 12-digit CNAPS participant code (联行号) of the other bank. */
  @RequiredWhen('sameBank is false', (agent: CounterpartyAgent) => agent.sameBank === false)
  @IsString()
  @Matches(/^\d{12}$/, { message: '$property must be a 12-digit CNAPS participant code' })
  bankCode?: string;

  @IsOptional()
  @IsBoundedText(100)
  bankName?: string;
}

export class Counterparty {
  @ValidateNested()
  @Type(() => CounterpartyAgent)
  agent!: CounterpartyAgent;

  /** Masked or opaque reference to the counterparty's account, never the full number. */
  @IsOptional()
  @IsBoundedText(64)
  accountReference?: string;

  @IsOptional()
  @IsBoundedText(200)
  name?: string;
}

/** One booked entry on a deposit account, with camt.054 (debit/credit notification) meaning. */
export class TransactionPostedPayload {
  @IsEntityId()
  transactionId!: string;

  @IsEntityId()
  accountId!: string;

  @IsEntityId()
  customerId!: string;

  /** The institution holding the account. */
  @IsEntityId()
  institutionId!: string;

  @IsIn(Object.values(CreditDebitIndicator))
  creditDebitIndicator!: CreditDebitIndicator;

  @IsMoney()
  amount!: Money;

  /** When the entry was booked. */
  @IsTimestamp()
  bookingDate!: string;

  /** The day the funds count for interest. */
  @IsCalendarDate()
  valueDate!: string;

  @IsString()
  @Matches(BANK_TRANSACTION_CODE, { message: '$property must look like PMNT-RCDT-SALA' })
  bankTransactionCode!: string;

  @IsIn(Object.values(TransactionChannel))
  channel!: TransactionChannel;

  /** Absent for entries with no other party (interest, fees, cash). */
  @IsOptional()
  @ValidateNested()
  @Type(() => Counterparty)
  counterparty?: Counterparty;

  /** The account's booked balance after this entry. */
  @IsSignedMoney()
  balanceAfter!: SignedMoney;

  @IsOptional()
  @IsBoundedText(140)
  remittanceInfo?: string;
}

/**
 * An earlier entry was reversed. As in camt.054 with a reversal indicator, `creditDebitIndicator` is the
 * direction of the original entry; the balance moves the other way.
 */
export class TransactionReversedPayload {
  /** The reversing entry's own id. */
  @IsEntityId()
  transactionId!: string;

  @IsEntityId()
  reversedTransactionId!: string;

  @IsEntityId()
  accountId!: string;

  @IsEntityId()
  customerId!: string;

  @IsEntityId()
  institutionId!: string;

  @IsIn(Object.values(CreditDebitIndicator))
  creditDebitIndicator!: CreditDebitIndicator;

  @IsMoney()
  amount!: Money;

  @IsTimestamp()
  bookingDate!: string;

  @IsCalendarDate()
  valueDate!: string;

  @IsSignedMoney()
  balanceAfter!: SignedMoney;

  @IsOptional()
  @IsBoundedText(200)
  reason?: string;
}
