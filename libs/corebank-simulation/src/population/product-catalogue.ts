import { AccountKind, CustomerKind, RepaymentMethod } from '@crm/contracts';

/** Which core-banking event opens a product: account opened, loan disbursed or card issued. */
export const ProductFamily = { Deposit: 'deposit', Loan: 'loan', Card: 'card' } as const;
export type ProductFamily = (typeof ProductFamily)[keyof typeof ProductFamily];

/** A log-normal money spread, as `Prng.amount` takes it. */
export interface AmountSpread {
  median: string;
  sigma: number;
  min: string;
  max: string;
  step?: string;
}

interface ProductBase {
  code: string;
  name: string;
  /** Who may hold it. */
  holder: CustomerKind;
}

export interface DepositProduct extends ProductBase {
  family: typeof ProductFamily.Deposit;
  kind: AccountKind;
  termMonths?: number;
  /** Annual rate of a time deposit or wealth product (decimal fraction string). */
  rate?: string;
  /** What a customer typically puts in when opening it. */
  opening: AmountSpread;
}

export interface LoanProduct extends ProductBase {
  family: typeof ProductFamily.Loan;
  rate: string;
  /** Terms in months the bank offers (one is drawn). */
  terms: readonly number[];
  method: RepaymentMethod;
  principal: AmountSpread;
}

export interface CardProduct extends ProductBase {
  family: typeof ProductFamily.Card;
  /** The limit granted to a new card holder. */
  creditLimit: string;
}

export type Product = DepositProduct | LoanProduct | CardProduct;

const individual = CustomerKind.Individual;
const corporate = CustomerKind.Corporate;

const timeDeposit = (termMonths: number, rate: string): DepositProduct => ({
  family: ProductFamily.Deposit,
  code: `TD-${termMonths}M`,
  name: `整存整取${termMonths}个月`,
  holder: individual,
  kind: AccountKind.TimeDeposit,
  termMonths,
  rate,
  opening: { median: '50000', sigma: 0.9, min: '10000.00', max: '2000000.00', step: '1000' },
});

const wealthProduct = (termMonths: number, rate: string): DepositProduct => ({
  family: ProductFamily.Deposit,
  code: `WM-${termMonths}M`,
  name: `丰收稳盈理财${termMonths}个月`,
  holder: individual,
  kind: AccountKind.WealthProduct,
  termMonths,
  rate,
  opening: { median: '150000', sigma: 0.8, min: '50000.00', max: '5000000.00', step: '10000' },
});

/** Time deposits by term (rates of a Zhejiang rural commercial bank, 2025). */
export const TIME_DEPOSITS: readonly DepositProduct[] = [
  timeDeposit(3, '0.0105'),
  timeDeposit(6, '0.0125'),
  timeDeposit(12, '0.0135'),
  timeDeposit(24, '0.0145'),
  timeDeposit(36, '0.0175'),
];

export const WEALTH_PRODUCTS: readonly DepositProduct[] = [
  wealthProduct(3, '0.0260'),
  wealthProduct(6, '0.0285'),
  wealthProduct(12, '0.0310'),
];

export const CURRENT_ACCOUNT: DepositProduct = {
  family: ProductFamily.Deposit,
  code: 'CA-STD',
  name: '个人活期储蓄账户',
  holder: individual,
  kind: AccountKind.Current,
  opening: { median: '5000', sigma: 1.0, min: '10.00', max: '500000.00', step: '10' },
};

export const CORPORATE_CURRENT_ACCOUNT: DepositProduct = {
  family: ProductFamily.Deposit,
  code: 'CA-CORP',
  name: '单位基本存款账户',
  holder: corporate,
  kind: AccountKind.Current,
  opening: { median: '200000', sigma: 1.0, min: '1000.00', max: '10000000.00', step: '100' },
};

export const SAVINGS_ACCOUNT: DepositProduct = {
  family: ProductFamily.Deposit,
  code: 'SA-PLUS',
  name: '丰收活期宝储蓄账户',
  holder: individual,
  kind: AccountKind.Savings,
  opening: { median: '20000', sigma: 1.0, min: '100.00', max: '1000000.00', step: '100' },
};

export const CONSUMER_LOAN: LoanProduct = {
  family: ProductFamily.Loan,
  code: 'PL-CONSUMER',
  name: '个人消费贷款',
  holder: individual,
  rate: '0.0435',
  terms: [12, 24, 36],
  method: RepaymentMethod.EqualInstalment,
  principal: { median: '60000', sigma: 0.6, min: '5000.00', max: '300000.00', step: '1000' },
};

export const BUSINESS_LOAN: LoanProduct = {
  family: ProductFamily.Loan,
  code: 'PL-BUSINESS',
  name: '个体工商户经营贷款',
  holder: individual,
  rate: '0.0450',
  terms: [12],
  method: RepaymentMethod.EqualPrincipal,
  principal: { median: '200000', sigma: 0.6, min: '30000.00', max: '1000000.00', step: '10000' },
};

export const MORTGAGE: LoanProduct = {
  family: ProductFamily.Loan,
  code: 'PL-MORTGAGE',
  name: '个人住房按揭贷款',
  holder: individual,
  rate: '0.0390',
  terms: [120],
  method: RepaymentMethod.EqualInstalment,
  principal: { median: '800000', sigma: 0.5, min: '200000.00', max: '3000000.00', step: '10000' },
};

export const WORKING_CAPITAL_LOAN: LoanProduct = {
  family: ProductFamily.Loan,
  code: 'CL-WORKCAP',
  name: '流动资金贷款',
  holder: corporate,
  rate: '0.0385',
  terms: [6, 12],
  method: RepaymentMethod.InterestOnlyBullet,
  principal: { median: '1000000', sigma: 0.8, min: '100000.00', max: '20000000.00', step: '10000' },
};

export const STANDARD_CARD: CardProduct = {
  family: ProductFamily.Card,
  code: 'CC-STD',
  name: '丰收普卡',
  holder: individual,
  creditLimit: '20000.00',
};

export const GOLD_CARD: CardProduct = {
  family: ProductFamily.Card,
  code: 'CC-GOLD',
  name: '丰收金卡',
  holder: individual,
  creditLimit: '50000.00',
};

/** Cards from this limit up are gold cards. */
export const GOLD_CARD_MIN_LIMIT = 50_000;

/** Every product the simulated bank sells, by code: what campaigns may offer. */
export const PRODUCT_CATALOGUE: ReadonlyMap<string, Product> = new Map(
  [
    CURRENT_ACCOUNT,
    CORPORATE_CURRENT_ACCOUNT,
    SAVINGS_ACCOUNT,
    ...TIME_DEPOSITS,
    ...WEALTH_PRODUCTS,
    CONSUMER_LOAN,
    BUSINESS_LOAN,
    MORTGAGE,
    WORKING_CAPITAL_LOAN,
    STANDARD_CARD,
    GOLD_CARD,
  ].map((product) => [product.code, product]),
);

/** The time deposit or wealth product of a term; throws when the bank sells none. */
export function maturingDepositProduct(
  kind: typeof AccountKind.TimeDeposit | typeof AccountKind.WealthProduct,
  termMonths: number,
): DepositProduct {
  const products = kind === AccountKind.TimeDeposit ? TIME_DEPOSITS : WEALTH_PRODUCTS;
  const product = products.find((p) => p.termMonths === termMonths);
  if (!product) throw new RangeError(`the bank sells no ${kind} of ${termMonths} months`);
  return product;
}
