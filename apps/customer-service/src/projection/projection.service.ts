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
  CustomerRegisteredPayload,
  CustomerUpdatedPayload,
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
import { EventBatch } from '@crm/messaging';
import { ProspectRepository } from '../prospects/prospect.repository';
import { ProjectionRepository } from './projection.repository';

/**
 * Applies core-banking, organisation and coverage events to the customer projection, each in the
 * consumer's transaction. A customer's profile also settles the prospects recorded under the same
 * ID number.
 */
@Injectable()
export class ProjectionService {
  constructor(
    private readonly projection: ProjectionRepository,
    private readonly prospects: ProspectRepository,
  ) {}

  async customerProfile(tx: EntityManager, p: CustomerRegisteredPayload | CustomerUpdatedPayload, at: Date) {
    const idHash = await this.projection.upsertCustomer(tx, p, at);
    if (idHash) await this.prospects.matchByIdNumberHash(tx, idHash, p.customerId, at);
  }

  upsertInstitution(tx: EntityManager, p: InstitutionUpsertedPayload, at: Date) {
    return this.projection.upsertInstitution(tx, p, at);
  }

  accountOpened(tx: EntityManager, batch: EventBatch, p: AccountOpenedPayload, at: Date) {
    return this.projection.accountOpened(tx, batch, p, at);
  }

  accountClosed(tx: EntityManager, batch: EventBatch, p: AccountClosedPayload, at: Date) {
    return this.projection.accountClosed(tx, batch, p, at);
  }

  accountStatusChanged(tx: EntityManager, batch: EventBatch, p: AccountStatusChangedPayload) {
    return this.projection.accountStatusChanged(tx, batch, p);
  }

  accountMaturityChanged(tx: EntityManager, p: AccountMaturityChangedPayload) {
    return this.projection.accountMaturityChanged(tx, p);
  }

  transactionPosted(tx: EntityManager, batch: EventBatch, p: TransactionPostedPayload) {
    return this.projection.transactionPosted(tx, batch, p);
  }

  transactionReversed(tx: EntityManager, batch: EventBatch, p: TransactionReversedPayload) {
    return this.projection.transactionReversed(tx, batch, p);
  }

  loanDisbursed(tx: EntityManager, batch: EventBatch, p: LoanDisbursedPayload, at: Date) {
    return this.projection.loanDisbursed(tx, batch, p, at);
  }

  loanScheduleChanged(tx: EntityManager, batch: EventBatch, p: LoanScheduleChangedPayload) {
    return this.projection.loanScheduleChanged(tx, batch, p);
  }

  loanRepaid(tx: EntityManager, batch: EventBatch, p: LoanRepaymentReceivedPayload) {
    return this.projection.loanRepaid(tx, batch, p);
  }

  loanInterestUnpaid(tx: EntityManager, batch: EventBatch, p: LoanInterestUnpaidPayload) {
    return this.projection.loanInterestUnpaid(tx, batch, p);
  }

  loanOverdue(tx: EntityManager, batch: EventBatch, p: LoanOverduePayload) {
    return this.projection.loanOverdue(tx, batch, p);
  }

  loanClassificationChanged(tx: EntityManager, batch: EventBatch, p: LoanClassificationChangedPayload) {
    return this.projection.loanClassificationChanged(tx, batch, p);
  }

  loanSettled(tx: EntityManager, batch: EventBatch, p: LoanSettledPayload) {
    return this.projection.loanSettled(tx, batch, p);
  }

  cardIssued(tx: EntityManager, batch: EventBatch, p: CardIssuedPayload) {
    return this.projection.cardIssued(tx, batch, p);
  }

  cardStatementIssued(tx: EntityManager, batch: EventBatch, p: CardStatementIssuedPayload, at: Date) {
    return this.projection.cardStatementIssued(tx, batch, p, at);
  }

  cardPaymentReceived(tx: EntityManager, batch: EventBatch, p: CardPaymentReceivedPayload) {
    return this.projection.cardPaymentReceived(tx, batch, p);
  }

  cardSpendPosted(tx: EntityManager, batch: EventBatch, p: CardSpendPostedPayload) {
    return this.projection.cardSpendPosted(tx, batch, p);
  }

  cardOverdue(tx: EntityManager, batch: EventBatch, p: CardOverduePayload) {
    return this.projection.cardOverdue(tx, batch, p);
  }

  applyCoverage(tx: EntityManager, p: CoverageChangedPayload) {
    return this.projection.applyCoverage(tx, p);
  }
}
