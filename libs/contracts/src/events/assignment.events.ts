import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsBoundedText, IsEntityId, IsTimestamp } from '../field.decorators';

/** What decided a coverage: the automatic rules, or a head's manual assignment. Wire names. */
export const CoverageBasis = { Automatic: 'automatic', Manual: 'manual' } as const;
export type CoverageBasis = (typeof CoverageBasis)[keyof typeof CoverageBasis];

/** Why a customer is covered by an institution (主办/协办 rule that applied). Wire names. */
export const CoverageReason = {
  LargestDeposit: 'largest-deposit',
  Deposit: 'deposit',
  Loan: 'loan',
  Card: 'card',
  Manual: 'manual',
} as const;
export type CoverageReason = (typeof CoverageReason)[keyof typeof CoverageReason];

export class CoveringInstitution {
  @IsEntityId()
  institutionId!: string;

  /** The manager assigned at this institution; null while none is. */
  @ValidateIf((_, v) => v !== null)
  @IsEntityId()
  managerId!: string | null;

  @IsIn(Object.values(CoverageReason))
  reason!: CoverageReason;

  @IsIn(Object.values(CoverageBasis))
  basis!: CoverageBasis;
}

/**
 * A customer's whole coverage as it now is (event-carried state: consumers replace their copy).
 * `version` grows by one with every change of one customer, so a consumer keeps the highest.
 */
export class CoverageChangedPayload {
  @IsEntityId()
  customerId!: string;

  @IsInt()
  @Min(1)
  version!: number;

  /** Null when the customer holds nothing any rule covers (e.g. after closing every account). */
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => CoveringInstitution)
  primary!: CoveringInstitution | null;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CoveringInstitution)
  secondary!: CoveringInstitution[];

  /** Key customer (重点客户): flagged by the bank's thresholds. */
  @IsBoolean()
  keyCustomer!: boolean;

  /** The private banker (私人客户经理) a head gave a key customer; null otherwise. */
  @ValidateIf((_, v) => v !== null)
  @IsEntityId()
  privateBankerId!: string | null;

  @IsTimestamp()
  changedAt!: string;

  /** Who changed it: `system` for the automatic rules, else the user id. */
  @IsEntityId()
  changedBy!: string;

  @IsBoundedText(500)
  note!: string;
}
