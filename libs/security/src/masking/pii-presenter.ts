import { AuthenticatedUser, hasPermission } from '../auth/authenticated-user';
import { Permission } from '../auth/roles';
import { maskBirthDate, maskIdNumber, maskPhone } from './masking.util';

export type PiiField = 'idNumber' | 'phone' | 'birthDate';

/** The fields `pii:read` reveals and `pii:write` sets. */
export const PII_FIELDS: readonly PiiField[] = ['idNumber', 'phone', 'birthDate'];

/**
 * Decides, for one caller and one response, whether ID and phone numbers and birth dates go out plain or masked,
 * and remembers which fields went out plain so the caller can write the audit record:
 *
 *   const pii = new PiiPresenter(user);
 *   const dto = { idNumber: pii.idNumber(customer.idNumber), phone: pii.phone(customer.phone) };
 *   if (pii.auditRequired) await audit.record({ ..., details: { fields: pii.revealedFields } }, manager);
 */
export class PiiPresenter {
  readonly canReveal: boolean;
  private readonly revealed = new Set<PiiField>();

  constructor(user: AuthenticatedUser) {
    this.canReveal = hasPermission(user, Permission.PiiRead);
  }

  idNumber(value: string | null | undefined): string | null {
    return this.present('idNumber', value, maskIdNumber);
  }

  phone(value: string | null | undefined): string | null {
    return this.present('phone', value, maskPhone);
  }

  /** The year only (`1990-**-**`) without pii:read. */
  birthDate(value: string | null | undefined): string | null {
    return this.present('birthDate', value, maskBirthDate);
  }

  /** True once any value went out unmasked: that read must be audited. */
  get auditRequired(): boolean {
    return this.revealed.size > 0;
  }

  /** Names (never values) of the fields revealed, for the audit details. */
  get revealedFields(): PiiField[] {
    return [...this.revealed].sort();
  }

  private present(
    field: PiiField,
    value: string | null | undefined,
    mask: (v: string) => string,
  ): string | null {
    if (value === null || value === undefined || value === '') return value ?? null;
    if (!this.canReveal) return mask(value);
    this.revealed.add(field);
    return value;
  }
}
