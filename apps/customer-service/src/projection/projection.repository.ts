import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  AccountClosedPayload,
  AccountMaturityChangedPayload,
  AccountOpenedPayload,
  AccountStatusChangedPayload,
  CardIssuedPayload,
  CardOverduePayload,
  CardPaymentReceivedPayload,
  CardSpendPostedPayload,
  CardStatementIssuedPayload,
  CoverageChangedPayload,
  CustomerProfile,
  InstitutionUpsertedPayload,
  LoanClassificationChangedPayload,
  LoanDisbursedPayload,
  LoanInterestUnpaidPayload,
  LoanOverduePayload,
  LoanRepaymentReceivedPayload,
  LoanScheduleChangedPayload,
  LoanSettledPayload,
  TransactionPostedPayload,
  TransactionReversedPayload,
} from '@crm/contracts';
import { BatchKey, EventBatch } from '@crm/messaging';
import { schemaOf } from '@crm/persistence';
import { FieldCipher } from '@crm/security';
import { lockCustomerProfile } from '../common/customer-profile.lock';
import { balanceAfterEntry } from './balance.rule';

/** The customers' holdings per institution that a batch's events changed, by `customer|institution`. */
const CHANGED_SUMMARIES = new BatchKey<Map<string, { customerId: string; institutionId: string }>>(
  'customer-service: changed holding summaries',
);

/**
 * Writes the projection inside the event's transaction. Every write is an upsert guarded by the
 * time of the fact, so events of different topics may arrive in any order and a replay of the
 * topics rebuilds the same rows.
 */
@Injectable()
export class ProjectionRepository {
  constructor(private readonly cipher: FieldCipher) {}

  async upsertInstitution(tx: EntityManager, i: InstitutionUpsertedPayload, at: Date): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".institution (id, parent_id, name, level, region_code, active, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, level = EXCLUDED.level,
         region_code = EXCLUDED.region_code, active = EXCLUDED.active, as_of = EXCLUDED.as_of
       WHERE institution.as_of <= EXCLUDED.as_of`,
      [i.institutionId, i.parentId, i.name, i.level, i.regionCode, i.active, at],
    );
  }

  /**
   * Upserts the profile (ID and phone encrypted, with keyed hashes); returns the ID number's hash. A new
   * customer takes the value tier and lifecycle stage of an analytic profile that arrived before them.
   */
  async upsertCustomer(
    tx: EntityManager,
    p: CustomerProfile & { registeredOn?: string },
    at: Date,
  ): Promise<string | null> {
    const s = schemaOf(tx.connection);
    const idNumber = p.idNumber ?? p.unifiedSocialCreditCode ?? null;
    const idHash = idNumber ? this.cipher.blindIndex(idNumber, 'id-number') : null;
    await lockCustomerProfile(tx, p.customerId);
    await tx.query(
      `INSERT INTO "${s}".customer (id, kind, name, gender, birth_date, industry, region_code, home_institution_id,
         id_number_enc, id_number_hash, phone_enc, phone_hash, registered_on, profile_as_of, value_tier, lifecycle_stage)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
         (SELECT value_tier FROM "${s}".analytic_profile WHERE customer_id = $1),
         (SELECT lifecycle_stage FROM "${s}".analytic_profile WHERE customer_id = $1))
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, gender = EXCLUDED.gender,
         birth_date = EXCLUDED.birth_date, industry = EXCLUDED.industry, region_code = EXCLUDED.region_code,
         home_institution_id = EXCLUDED.home_institution_id, id_number_enc = EXCLUDED.id_number_enc,
         id_number_hash = EXCLUDED.id_number_hash, phone_enc = EXCLUDED.phone_enc, phone_hash = EXCLUDED.phone_hash,
         registered_on = COALESCE(EXCLUDED.registered_on, customer.registered_on), profile_as_of = EXCLUDED.profile_as_of
       WHERE customer.profile_as_of <= EXCLUDED.profile_as_of`,
      [
        p.customerId,
        p.kind,
        p.name,
        p.gender ?? null,
        p.birthDate ?? null,
        p.industry ?? null,
        p.regionCode,
        p.homeInstitutionId,
        idNumber ? this.cipher.encrypt(idNumber) : null,
        idHash,
        this.cipher.encrypt(p.phone),
        this.cipher.blindIndex(p.phone, 'phone'),
        p.registeredOn ?? null,
        at,
      ],
    );
    return idHash;
  }

  async accountOpened(
    tx: EntityManager,
    batch: EventBatch,
    a: AccountOpenedPayload,
    at: Date,
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".account (id, customer_id, institution_id, kind, product_code, product_name, currency, status,
         opened_on, maturity_date, manager_id, balance, balance_as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, product_code = EXCLUDED.product_code,
         product_name = EXCLUDED.product_name, currency = EXCLUDED.currency, opened_on = EXCLUDED.opened_on,
         maturity_date = COALESCE(account.maturity_date, EXCLUDED.maturity_date), manager_id = EXCLUDED.manager_id,
         balance = CASE WHEN account.status <> 'closed'
                          AND (account.balance_as_of IS NULL OR account.balance_as_of <= EXCLUDED.balance_as_of)
                        THEN EXCLUDED.balance ELSE account.balance END,
         balance_as_of = GREATEST(account.balance_as_of, EXCLUDED.balance_as_of)`,
      [
        a.accountId,
        a.customerId,
        a.institutionId,
        a.kind,
        a.productCode,
        a.productName,
        a.currency,
        a.openedOn,
        a.maturityDate ?? null,
        a.managerId ?? null,
        a.balance.amount,
        at,
      ],
    );
    this.summaryChanged(tx, batch, a.customerId, a.institutionId);
  }

  async accountClosed(
    tx: EntityManager,
    batch: EventBatch,
    a: AccountClosedPayload,
    at: Date,
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".account (id, customer_id, institution_id, kind, status, closed_on, balance, balance_as_of)
       VALUES ($1, $2, $3, $4, 'closed', $5, 0, $6)
       ON CONFLICT (id) DO UPDATE SET status = 'closed', closed_on = EXCLUDED.closed_on, balance = 0,
         balance_as_of = GREATEST(account.balance_as_of, EXCLUDED.balance_as_of)`,
      [a.accountId, a.customerId, a.institutionId, a.kind, a.closedOn, at],
    );
    this.summaryChanged(tx, batch, a.customerId, a.institutionId);
  }

  async accountStatusChanged(
    tx: EntityManager,
    batch: EventBatch,
    a: AccountStatusChangedPayload,
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".account (id, customer_id, institution_id, status, closed_on)
       VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'closed' THEN $5::date END)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status,
         closed_on = CASE WHEN EXCLUDED.status = 'closed' THEN $5::date ELSE account.closed_on END`,
      [a.accountId, a.customerId, a.institutionId, a.to, a.effectiveOn],
    );
    this.summaryChanged(tx, batch, a.customerId, a.institutionId);
  }

  async accountMaturityChanged(tx: EntityManager, a: AccountMaturityChangedPayload): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".account (id, customer_id, institution_id, kind, maturity_date) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET maturity_date = EXCLUDED.maturity_date`,
      [a.accountId, a.customerId, a.institutionId, a.kind, a.maturityDate],
    );
  }

  /** Closing is final: an entry booked in the same instant on another topic cannot revive the balance. */
  async transactionPosted(tx: EntityManager, batch: EventBatch, t: TransactionPostedPayload): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".account_transaction (id, account_id, customer_id, institution_id, direction, amount, currency,
         booked_at, bank_transaction_code, channel, balance_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
      [
        t.transactionId,
        t.accountId,
        t.customerId,
        t.institutionId,
        t.creditDebitIndicator,
        t.amount.amount,
        t.amount.currency,
        t.bookingDate,
        t.bankTransactionCode,
        t.channel,
        t.balanceAfter.amount,
      ],
    );
    await this.applyBalance(tx, batch, t, new Date(t.bookingDate), {
      creditDebitIndicator: t.creditDebitIndicator,
      amount: t.amount.amount,
      balanceAfter: t.balanceAfter.amount,
    });
  }

  async transactionReversed(
    tx: EntityManager,
    batch: EventBatch,
    t: TransactionReversedPayload,
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(`UPDATE "${s}".account_transaction SET reversed = true WHERE id = $1`, [
      t.reversedTransactionId,
    ]);
    await tx.query(
      `INSERT INTO "${s}".account_transaction (id, account_id, customer_id, institution_id, direction, amount, currency,
         booked_at, balance_after, reversal_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
      [
        t.transactionId,
        t.accountId,
        t.customerId,
        t.institutionId,
        // The reversing entry moves money the other way of the original.
        t.creditDebitIndicator === 'CRDT' ? 'DBIT' : 'CRDT',
        t.amount.amount,
        t.amount.currency,
        t.bookingDate,
        t.balanceAfter.amount,
        t.reversedTransactionId,
      ],
    );
    await this.applyBalance(tx, batch, t, new Date(t.bookingDate), {
      creditDebitIndicator: t.creditDebitIndicator,
      amount: t.amount.amount,
      balanceAfter: t.balanceAfter.amount,
      reversal: true,
    });
  }

  private async applyBalance(
    tx: EntityManager,
    batch: EventBatch,
    ref: { accountId: string; customerId: string; institutionId: string },
    at: Date,
    entry: Parameters<typeof balanceAfterEntry>[1],
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    const [current] = (await tx.query(
      `SELECT balance::text AS balance, balance_as_of FROM "${s}".account WHERE id = $1 FOR UPDATE`,
      [ref.accountId],
    )) as { balance: string; balance_as_of: Date | null }[];
    const next = balanceAfterEntry(current?.balance ?? '0', entry);
    await tx.query(
      `INSERT INTO "${s}".account (id, customer_id, institution_id, balance, balance_as_of) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET balance = EXCLUDED.balance, balance_as_of = EXCLUDED.balance_as_of
       WHERE account.status <> 'closed'
         AND (account.balance_as_of IS NULL OR account.balance_as_of <= EXCLUDED.balance_as_of)`,
      [ref.accountId, ref.customerId, ref.institutionId, next, at],
    );
    this.summaryChanged(tx, batch, ref.customerId, ref.institutionId);
  }

  async loanDisbursed(
    tx: EntityManager,
    batch: EventBatch,
    l: LoanDisbursedPayload,
    at: Date,
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".loan (id, customer_id, institution_id, manager_id, product_code, product_name, currency, principal,
         outstanding, classification, disbursed_on, maturity_date, interest_rate, outstanding_as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET manager_id = EXCLUDED.manager_id, product_code = EXCLUDED.product_code,
         product_name = EXCLUDED.product_name, currency = EXCLUDED.currency, principal = EXCLUDED.principal,
         classification = COALESCE(loan.classification, EXCLUDED.classification), disbursed_on = EXCLUDED.disbursed_on,
         maturity_date = COALESCE(loan.maturity_date, EXCLUDED.maturity_date), interest_rate = COALESCE(loan.interest_rate, EXCLUDED.interest_rate),
         outstanding = CASE WHEN loan.outstanding_as_of IS NULL OR loan.outstanding_as_of <= EXCLUDED.outstanding_as_of
                            THEN EXCLUDED.outstanding ELSE loan.outstanding END,
         outstanding_as_of = GREATEST(loan.outstanding_as_of, EXCLUDED.outstanding_as_of)`,
      [
        l.loanId,
        l.customerId,
        l.institutionId,
        l.managerId,
        l.productCode,
        l.productName,
        l.principal.currency,
        l.principal.amount,
        l.classification,
        l.disbursedOn,
        l.maturityDate,
        l.interestRate,
        at,
      ],
    );
    this.summaryChanged(tx, batch, l.customerId, l.institutionId);
  }

  /** Upserts a loan row with one change (the loan row may not exist yet when events cross). */
  private async loanChange(
    tx: EntityManager,
    batch: EventBatch,
    ref: { loanId: string; customerId: string; institutionId: string },
    set: string,
    values: unknown[],
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".loan AS loan (id, customer_id, institution_id) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING`,
      [ref.loanId, ref.customerId, ref.institutionId],
    );
    await tx.query(`UPDATE "${s}".loan AS loan SET ${set} WHERE id = $1`, [ref.loanId, ...values]);
    this.summaryChanged(tx, batch, ref.customerId, ref.institutionId);
  }

  loanScheduleChanged(tx: EntityManager, batch: EventBatch, l: LoanScheduleChangedPayload): Promise<void> {
    return this.loanChange(tx, batch, l, 'maturity_date = $2, interest_rate = $3', [
      l.maturityDate,
      l.interestRate,
    ]);
  }

  loanRepaid(tx: EntityManager, batch: EventBatch, l: LoanRepaymentReceivedPayload): Promise<void> {
    return this.loanChange(
      tx,
      batch,
      l,
      `outstanding = CASE WHEN outstanding_as_of IS NULL OR outstanding_as_of <= $3 THEN $2 ELSE outstanding END,
       outstanding_as_of = GREATEST(outstanding_as_of, $3),
       status = CASE WHEN status = 'overdue' THEN 'active' ELSE status END, days_overdue = 0, overdue_amount = 0`,
      [l.outstandingPrincipal.amount, new Date(l.receivedAt)],
    );
  }

  loanInterestUnpaid(tx: EntityManager, batch: EventBatch, l: LoanInterestUnpaidPayload): Promise<void> {
    return this.loanChange(tx, batch, l, 'interest_unpaid = $2', [l.totalInterestUnpaid.amount]);
  }

  loanOverdue(tx: EntityManager, batch: EventBatch, l: LoanOverduePayload): Promise<void> {
    return this.loanChange(
      tx,
      batch,
      l,
      `status = CASE WHEN status = 'settled' THEN status ELSE 'overdue' END, days_overdue = $2, overdue_amount = $3`,
      [l.daysOverdue, l.overduePrincipal.amount],
    );
  }

  loanClassificationChanged(
    tx: EntityManager,
    batch: EventBatch,
    l: LoanClassificationChangedPayload,
  ): Promise<void> {
    return this.loanChange(tx, batch, l, 'classification = $2', [l.to]);
  }

  loanSettled(tx: EntityManager, batch: EventBatch, l: LoanSettledPayload): Promise<void> {
    return this.loanChange(
      tx,
      batch,
      l,
      `status = 'settled', outstanding = 0, days_overdue = 0, overdue_amount = 0, interest_unpaid = 0`,
      [],
    );
  }

  async cardIssued(tx: EntityManager, batch: EventBatch, c: CardIssuedPayload): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".card (id, customer_id, institution_id, manager_id, product_code, product_name, masked_card_number,
         currency, credit_limit, issued_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET manager_id = EXCLUDED.manager_id, product_code = EXCLUDED.product_code,
         product_name = EXCLUDED.product_name, masked_card_number = EXCLUDED.masked_card_number,
         currency = EXCLUDED.currency, credit_limit = EXCLUDED.credit_limit, issued_on = EXCLUDED.issued_on`,
      [
        c.cardId,
        c.customerId,
        c.institutionId,
        c.managerId ?? null,
        c.productCode,
        c.productName,
        c.maskedCardNumber,
        c.creditLimit.currency,
        c.creditLimit.amount,
        c.issuedOn,
      ],
    );
    this.summaryChanged(tx, batch, c.customerId, c.institutionId);
  }

  private async cardChange(
    tx: EntityManager,
    batch: EventBatch,
    ref: { cardId: string; customerId: string; institutionId: string },
    set: string,
    values: unknown[],
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    await tx.query(
      `INSERT INTO "${s}".card (id, customer_id, institution_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [ref.cardId, ref.customerId, ref.institutionId],
    );
    await tx.query(`UPDATE "${s}".card SET ${set} WHERE id = $1`, [ref.cardId, ...values]);
    this.summaryChanged(tx, batch, ref.customerId, ref.institutionId);
  }

  cardStatementIssued(
    tx: EntityManager,
    batch: EventBatch,
    c: CardStatementIssuedPayload,
    at: Date,
  ): Promise<void> {
    return this.cardChange(
      tx,
      batch,
      c,
      `statement_date = $2, due_date = $3, statement_balance = $4,
       outstanding_balance = CASE WHEN balance_as_of IS NULL OR balance_as_of <= $5 THEN $4 ELSE outstanding_balance END,
       balance_as_of = GREATEST(balance_as_of, $5)`,
      [c.statementDate, c.dueDate, c.statementBalance.amount, at],
    );
  }

  cardPaymentReceived(tx: EntityManager, batch: EventBatch, c: CardPaymentReceivedPayload): Promise<void> {
    return this.cardChange(
      tx,
      batch,
      c,
      `outstanding_balance = CASE WHEN balance_as_of IS NULL OR balance_as_of <= $3 THEN $2 ELSE outstanding_balance END,
       balance_as_of = GREATEST(balance_as_of, $3), status = 'active', days_overdue = 0`,
      [c.outstandingBalance.amount, new Date(c.receivedAt)],
    );
  }

  /** A spend adds to what is owed until the next statement or payment states the balance again. */
  cardSpendPosted(tx: EntityManager, batch: EventBatch, c: CardSpendPostedPayload): Promise<void> {
    return this.cardChange(
      tx,
      batch,
      c,
      `outstanding_balance = outstanding_balance + $2, balance_as_of = GREATEST(balance_as_of, $3)`,
      [c.amount.amount, new Date(c.postedAt)],
    );
  }

  cardOverdue(tx: EntityManager, batch: EventBatch, c: CardOverduePayload): Promise<void> {
    return this.cardChange(tx, batch, c, `status = 'overdue', days_overdue = $2`, [c.daysOverdue]);
  }

  /** Keeps the highest version of a customer's coverage (older or repeated versions change nothing). */
  async applyCoverage(tx: EntityManager, c: CoverageChangedPayload): Promise<void> {
    const s = schemaOf(tx.connection);
    const updated = (await tx.query(
      `INSERT INTO "${s}".coverage (customer_id, version, primary_institution_id, primary_manager_id, private_banker_id,
         key_customer, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (customer_id) DO UPDATE SET version = EXCLUDED.version,
         primary_institution_id = EXCLUDED.primary_institution_id, primary_manager_id = EXCLUDED.primary_manager_id,
         private_banker_id = EXCLUDED.private_banker_id, key_customer = EXCLUDED.key_customer,
         changed_at = EXCLUDED.changed_at
       WHERE coverage.version < EXCLUDED.version
       RETURNING customer_id`,
      [
        c.customerId,
        c.version,
        c.primary?.institutionId ?? null,
        c.primary?.managerId ?? null,
        c.privateBankerId,
        c.keyCustomer,
        c.changedAt,
      ],
    )) as unknown[];
    if (updated.length === 0) return;
    await tx.query(`DELETE FROM "${s}".coverage_secondary WHERE customer_id = $1`, [c.customerId]);
    const seen = new Set<string>();
    for (const secondary of c.secondary) {
      if (seen.has(secondary.institutionId)) continue;
      seen.add(secondary.institutionId);
      await tx.query(
        `INSERT INTO "${s}".coverage_secondary (customer_id, institution_id, manager_id, reason) VALUES ($1, $2, $3, $4)`,
        [c.customerId, secondary.institutionId, secondary.managerId, secondary.reason],
      );
    }
  }

  /**
   * Marks a customer's holdings at an institution changed: what search reads of them (holding_summary) is
   * recomputed once, just before the batch commits, however many of its events touched them.
   */
  private summaryChanged(
    tx: EntityManager,
    batch: EventBatch,
    customerId: string,
    institutionId: string,
  ): void {
    const changed = batch.once(CHANGED_SUMMARIES, () => {
      const pairs = new Map<string, { customerId: string; institutionId: string }>();
      batch.beforeCommit(() => this.refreshSummaries(tx, [...pairs.values()]));
      return pairs;
    });
    changed.set(`${customerId}|${institutionId}`, { customerId, institutionId });
  }

  /** Recomputes what search reads for each customer at each institution from the holdings rows. */
  private async refreshSummaries(
    tx: EntityManager,
    pairs: { customerId: string; institutionId: string }[],
  ): Promise<void> {
    const s = schemaOf(tx.connection);
    // One customer's events may be handled concurrently by two instances (their topics' partitions assigned to
    // each): without this lock two transactions each sum a snapshot missing the other's write, and the last
    // one wins. Taken in a statement of its own, so the summing statement after it sees every committed write
    // before it; in one order, so that two batches never wait on each other's locks.
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
         FROM (SELECT DISTINCT 'customer-summary:' || id AS key FROM unnest($1::text[]) AS id ORDER BY 1) keys`,
      [pairs.map((p) => p.customerId)],
    );
    await tx.query(
      `INSERT INTO "${s}".holding_summary (customer_id, institution_id, deposits, wealth, loans, cards, product_codes,
         product_kinds, card_statuses, last_transaction_at)
       SELECT h.customer_id, h.institution_id,
         (SELECT COALESCE(sum(balance), 0) FROM "${s}".account WHERE customer_id = h.customer_id AND institution_id = h.institution_id
            AND status <> 'closed' AND kind IN ('current', 'savings', 'time-deposit')),
         (SELECT COALESCE(sum(balance), 0) FROM "${s}".account WHERE customer_id = h.customer_id AND institution_id = h.institution_id
            AND status <> 'closed' AND kind = 'wealth-product'),
         (SELECT COALESCE(sum(outstanding), 0) FROM "${s}".loan WHERE customer_id = h.customer_id AND institution_id = h.institution_id
            AND status <> 'settled'),
         (SELECT COALESCE(sum(GREATEST(outstanding_balance, 0)), 0) FROM "${s}".card WHERE customer_id = h.customer_id AND institution_id = h.institution_id),
         ARRAY(SELECT DISTINCT code FROM (
            SELECT product_code AS code FROM "${s}".account WHERE customer_id = h.customer_id AND institution_id = h.institution_id AND status <> 'closed'
            UNION SELECT product_code FROM "${s}".loan WHERE customer_id = h.customer_id AND institution_id = h.institution_id AND status <> 'settled'
            UNION SELECT product_code FROM "${s}".card WHERE customer_id = h.customer_id AND institution_id = h.institution_id) p WHERE code IS NOT NULL ORDER BY code),
         ARRAY(SELECT DISTINCT k FROM (
            SELECT kind AS k FROM "${s}".account WHERE customer_id = h.customer_id AND institution_id = h.institution_id AND status <> 'closed'
            UNION SELECT 'loan' FROM "${s}".loan WHERE customer_id = h.customer_id AND institution_id = h.institution_id AND status <> 'settled'
            UNION SELECT 'credit-card' FROM "${s}".card WHERE customer_id = h.customer_id AND institution_id = h.institution_id) p WHERE k IS NOT NULL ORDER BY k),
         ARRAY(SELECT DISTINCT status FROM "${s}".card WHERE customer_id = h.customer_id AND institution_id = h.institution_id ORDER BY status),
         (SELECT max(booked_at) FROM "${s}".account_transaction WHERE customer_id = h.customer_id AND institution_id = h.institution_id)
       FROM unnest($1::text[], $2::text[]) AS h(customer_id, institution_id)
       ON CONFLICT (customer_id, institution_id) DO UPDATE SET deposits = EXCLUDED.deposits, wealth = EXCLUDED.wealth,
         loans = EXCLUDED.loans, cards = EXCLUDED.cards, product_codes = EXCLUDED.product_codes,
         product_kinds = EXCLUDED.product_kinds, card_statuses = EXCLUDED.card_statuses,
         last_transaction_at = EXCLUDED.last_transaction_at`,
      [pairs.map((p) => p.customerId), pairs.map((p) => p.institutionId)],
    );
  }
}
