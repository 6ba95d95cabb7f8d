import type Decimal from 'decimal.js';
import type {
  AccountKind,
  AccountStatus,
  CustomerProfile,
  InstitutionLevel,
  LoanClassification,
  ManagerRole,
  RepaymentMethod,
} from '@crm/contracts';

/** The simulated bank's state: what core banking knows, which the event stream changes. */
export interface Institution {
  institutionId: string;
  name: string;
  level: InstitutionLevel;
  parentId: string | null;
  regionCode: string;
}

export interface Manager {
  managerId: string;
  name: string;
  institutionId: string;
  roles: ManagerRole[];
}

export interface Organisation {
  institutions: Institution[];
  managers: Manager[];
}

export interface CounterpartyBank {
  sameBank: boolean;
  bankCode?: string;
  bankName?: string;
}

/** A regular credit the customer receives: salary, pension. */
export interface Income {
  kind: 'salary' | 'pension';
  amount: string;
  dayOfMonth: number;
  payer: string;
  payerBank: CounterpartyBank;
}

export interface Customer {
  profile: CustomerProfile;
  registeredOn: string;
  /** The relationship manager at the home outlet. */
  managerId: string;
  income?: Income;
  /** Corporates: monthly payroll paid out. */
  payroll?: { amount: string; dayOfMonth: number };
  /** Scales how often the customer transacts (0.3 quiet to 2 busy). */
  activity: number;
}

export interface DepositAccount {
  accountId: string;
  customerId: string;
  institutionId: string;
  kind: AccountKind;
  productCode: string;
  productName: string;
  openedOn: string;
  maturityDate?: string;
  termMonths?: number;
  /** Annual rate for time deposits and wealth products (decimal fraction string). */
  rate?: string;
  balance: Decimal;
  managerId?: string;
  status: AccountStatus;
}

export interface PlannedInstalment {
  sequence: number;
  dueDate: string;
  principal: string;
  interest: string;
}

export interface OverdueInstalment {
  instalment: PlannedInstalment;
  /** Overdue-day counts already reported, so each milestone is published once. */
  reported: Set<number>;
}

export interface Loan {
  loanId: string;
  customerId: string;
  institutionId: string;
  managerId: string;
  principal: string;
  productCode: string;
  productName: string;
  disbursedOn: string;
  maturityDate: string;
  interestRate: string;
  repaymentMethod: RepaymentMethod;
  settlementAccountId: string;
  schedule: PlannedInstalment[];
  classification: LoanClassification;
  outstandingPrincipal: Decimal;
  /** Sequence of the first instalment not yet paid. */
  nextSequence: number;
  overdue: OverdueInstalment[];
  /** A borrower in difficulty: stops paying. */
  troubled: boolean;
  settled: boolean;
}

export type CardPayer = 'full' | 'minimum' | 'late';

export interface CardStatement {
  statementDate: string;
  dueDate: string;
  balance: Decimal;
  minimum: Decimal;
  paid: Decimal;
  overdueReported: Set<number>;
  /** The day the customer means to pay, if they mean to. */
  plannedPaymentDate?: string;
}

export interface Card {
  cardId: string;
  customerId: string;
  institutionId: string;
  managerId?: string;
  productCode: string;
  productName: string;
  maskedCardNumber: string;
  issuedOn: string;
  creditLimit: string;
  statementDay: number;
  paymentDueDays: number;
  /** What the customer owes in total (billed and not yet billed). */
  owed: Decimal;
  /** Spend since the last statement. */
  unbilled: Decimal;
  statement?: CardStatement;
  payer: CardPayer;
  settlementAccountId: string;
}

export interface Bank extends Organisation {
  customers: Customer[];
  accounts: DepositAccount[];
  loans: Loan[];
  cards: Card[];
}
