import type { Prng } from './prng';

/**
 * Core-banking style identifiers. Master-data ids (customers, accounts, loans, cards) come from the
 * allocator's generator and never repeat within it; `namespace` keeps the population's ids ('1') apart
 * from scenario ids ('9'). Entry ids (transactions, repayments...) carry a run tag so that a run started at
 * another time never reuses one.
 */
export class IdAllocator {
  private readonly issued = new Set<string>();
  private entrySequence = 0;

  constructor(
    private readonly prng: Prng,
    private readonly namespace: string,
    private readonly runTag: string,
  ) {}

  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }

  customerId = () => this.unique(() => `C${this.namespace}${this.prng.digits(11)}`);
  /** 19-digit deposit account number. */
  accountNumber = () => this.unique(() => `6231${this.namespace}${this.prng.digits(14)}`);
  timeDepositId = () => this.unique(() => `TD${this.namespace}${this.prng.digits(15)}`);
  wealthProductId = () => this.unique(() => `WM${this.namespace}${this.prng.digits(15)}`);
  loanId = () => this.unique(() => `LN${this.namespace}${this.prng.digits(15)}`);
  cardId = () => this.unique(() => `CC${this.namespace}${this.prng.digits(15)}`);
  managerId = () => this.unique(() => `E${this.namespace}${this.prng.digits(5)}`);
  /** Masked numbers may repeat, as they do in real statements. */
  maskedCardNumber = () => `625836******${this.prng.digits(4)}`;

  /** Transaction (T), repayment (R), card payment (P) or spend (S) id, dated by booking day. */
  entryId(prefix: 'T' | 'R' | 'P' | 'S', bookingDay: string): string {
    this.entrySequence += 1;
    return `${prefix}${bookingDay.replace(/-/g, '')}${this.runTag}${String(this.entrySequence).padStart(8, '0')}`;
  }
}

/** Six digits that tell runs apart (same seed, different start). */
export const runTagOf = (prng: Prng): string => prng.digits(6);
