import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CreditDebitIndicator } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';

/** Where a fact was booked: a deposit account, or a credit card (a spend). */
export const FactSource = { Account: 'account', Card: 'card' } as const;
export type FactSource = (typeof FactSource)[keyof typeof FactSource];

/** One row of transaction_fact. */
export interface TransactionFact {
  source: FactSource;
  transactionId: string;
  businessDate: string;
  holdingId: string;
  customerId: string;
  institutionId: string;
  direction: CreditDebitIndicator;
  amount: string;
  currency: string;
  bookedAt: string;
  valueDate: string | null;
  bankTransactionCode: string | null;
  /** Null for a reversal: core banking books it, on no channel of the customer's. */
  channel: string | null;
  /** Null when the entry has no counterparty (interest, fees, cash, card spends). */
  otherBank: boolean | null;
  counterpartyBankCode: string | null;
  balanceAfter: string | null;
  reversalOf: string | null;
  merchantCategoryCode: string | null;
}

@Injectable()
export class TransactionRepository {
  /** A fact is written once: the same fact again (a replay, a redelivery under a new event id) changes nothing. */
  async insert(tx: EntityManager, f: TransactionFact): Promise<void> {
    await tx.query(
      `INSERT INTO "${schemaOf(tx.connection)}".transaction_fact (source, transaction_id, business_date, holding_id,
         customer_id, institution_id, direction, amount, currency, booked_at, value_date, bank_transaction_code,
         channel, other_bank, counterparty_bank_code, balance_after, reversal_of, merchant_category_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (source, transaction_id, business_date) DO NOTHING`,
      [
        f.source,
        f.transactionId,
        f.businessDate,
        f.holdingId,
        f.customerId,
        f.institutionId,
        f.direction,
        f.amount,
        f.currency,
        f.bookedAt,
        f.valueDate,
        f.bankTransactionCode,
        f.channel,
        f.otherBank,
        f.counterpartyBankCode,
        f.balanceAfter,
        f.reversalOf,
        f.merchantCategoryCode,
      ],
    );
  }
}
