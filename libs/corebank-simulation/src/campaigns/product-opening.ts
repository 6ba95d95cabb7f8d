import Decimal from 'decimal.js';
import { AccountKind, AccountStatus } from '@crm/contracts';
import { BankOperations } from '../core/bank-operations';
import { addMonths, cstDateOf } from '../core/calendar';
import { EventFactory, type SimEvent } from '../core/event-factory';
import { IdAllocator, runTagOf } from '../core/id-allocator';
import { Prng } from '../core/prng';
import type { DepositAccount, Organisation } from '../population/bank.model';
import { PopulationGenerator } from '../population/population.generator';
import { ProductFamily, type DepositProduct, type Product } from '../population/product-catalogue';
import type { KnownCustomer } from './known-customer';

/** Ids of products opened after the initial load: apart from the population's ('1') and scenarios' ('9'). */
const OPENING_NAMESPACE = '5';

/**
 * A customer opens a product of the catalogue today: the event core banking publishes about it (account
 * opened, loan disbursed or card issued). Everything drawn comes from the seed and `label`, so the same
 * label opens the same account, loan or card under the same event id however often it is asked: a
 * consumer deduplicates a repeat.
 */
export class ProductOpener {
  constructor(
    private readonly organisation: Organisation,
    private readonly seed: number,
  ) {}

  open(known: KnownCustomer, product: Product, at: number, label: string, correlationId?: string): SimEvent {
    const prng = new Prng(this.seed, 'product-opening', label);
    const ids = new IdAllocator(prng, OPENING_NAMESPACE, runTagOf(prng));
    const ops = new BankOperations(
      new EventFactory({ seed: this.seed, start: 0, stream: `product-opening:${label}` }, correlationId),
      ids,
    );
    const today = cstDateOf(at);
    const generator = new PopulationGenerator(
      this.organisation,
      { seed: this.seed, customers: 0, asOf: today },
      prng,
      ids,
    );
    const { customer, settlement } = known;
    switch (product.family) {
      case ProductFamily.Deposit:
        return ops.accountOpened(this.depositAccount(known, product, today, prng, ids), at);
      case ProductFamily.Loan:
        return ops.loanDisbursed(
          generator.loan(customer, settlement, generator.loanTerms(product, today)),
          at,
        );
      case ProductFamily.Card: {
        const card = generator.card(customer, settlement, {
          creditLimit: product.creditLimit,
          statementDay: prng.int(1, 28),
          payer: 'full',
        });
        card.issuedOn = today;
        return ops.cardIssued(card, at);
      }
    }
  }

  private depositAccount(
    { customer }: KnownCustomer,
    product: DepositProduct,
    today: string,
    prng: Prng,
    ids: IdAllocator,
  ): DepositAccount {
    const accountId =
      product.kind === AccountKind.TimeDeposit
        ? ids.timeDepositId()
        : product.kind === AccountKind.WealthProduct
          ? ids.wealthProductId()
          : ids.accountNumber();
    const account: DepositAccount = {
      accountId,
      customerId: customer.profile.customerId,
      institutionId: customer.profile.homeInstitutionId,
      kind: product.kind,
      productCode: product.code,
      productName: product.name,
      openedOn: today,
      balance: new Decimal(prng.amount(product.opening)),
      managerId: customer.managerId,
      status: AccountStatus.Active,
    };
    if (product.termMonths !== undefined) {
      account.termMonths = product.termMonths;
      account.maturityDate = addMonths(today, product.termMonths);
      account.rate = product.rate;
    }
    return account;
  }
}
