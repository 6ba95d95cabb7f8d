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

  accountOpened(tx: EntityManager, p: AccountOpenedPayload, at: Date) {
    return this.projection.accountOpened(tx, p, at);
  }

  accountClosed(tx: EntityManager, p: AccountClosedPayload, at: Date) {
    return this.projection.accountClosed(tx, p, at);
  }

  accountStatusChanged(tx: EntityManager, p: AccountStatusChangedPayload) {
    return this.projection.accountStatusChanged(tx, p);
  }

  accountMaturityChanged(tx: EntityManager, p: AccountMaturityChangedPayload) {
    return this.projection.accountMaturityChanged(tx, p);
  }

  transactionPosted(tx: EntityManager, p: TransactionPostedPayload) {
    return this.projection.transactionPosted(tx, p);
  }

  transactionReversed(tx: EntityManager, p: TransactionReversedPayload) {
    return this.projection.transactionReversed(tx, p);
  }

  loanDisbursed(tx: EntityManager, p: LoanDisbursedPayload, at: Date) {
    return this.projection.loanDisbursed(tx, p, at);
  }

  loanScheduleChanged(tx: EntityManager, p: LoanScheduleChangedPayload) {
    return this.projection.loanScheduleChanged(tx, p);
  }

  loanRepaid(tx: EntityManager, p: LoanRepaymentReceivedPayload) {
    return this.projection.loanRepaid(tx, p);
  }

  loanInterestUnpaid(tx: EntityManager, p: LoanInterestUnpaidPayload) {
    return this.projection.loanInterestUnpaid(tx, p);
  }

  loanOverdue(tx: EntityManager, p: LoanOverduePayload) {
    return this.projection.loanOverdue(tx, p);
  }

  loanClassificationChanged(tx: EntityManager, p: LoanClassificationChangedPayload) {
    return this.projection.loanClassificationChanged(tx, p);
  }

  loanSettled(tx: EntityManager, p: LoanSettledPayload) {
    return this.projection.loanSettled(tx, p);
  }

  cardIssued(tx: EntityManager, p: CardIssuedPayload) {
    return this.projection.cardIssued(tx, p);
  }

  cardStatementIssued(tx: EntityManager, p: CardStatementIssuedPayload, at: Date) {
    return this.projection.cardStatementIssued(tx, p, at);
  }

  cardPaymentReceived(tx: EntityManager, p: CardPaymentReceivedPayload) {
    return this.projection.cardPaymentReceived(tx, p);
  }

  cardSpendPosted(tx: EntityManager, p: CardSpendPostedPayload) {
    return this.projection.cardSpendPosted(tx, p);
  }

  cardOverdue(tx: EntityManager, p: CardOverduePayload) {
    return this.projection.cardOverdue(tx, p);
  }

  applyCoverage(tx: EntityManager, p: CoverageChangedPayload) {
    return this.projection.applyCoverage(tx, p);
  }
}
