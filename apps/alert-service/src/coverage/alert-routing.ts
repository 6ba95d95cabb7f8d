import type { CustomerCoverage } from '@crm/security';

export const RoutedTo = { PrimaryManager: 'primary-manager', InstitutionHead: 'institution-head' } as const;
export type RoutedTo = (typeof RoutedTo)[keyof typeof RoutedTo];

export interface AlertRoute {
  /** The customer's primary institution: whose heads see it and whose thresholds applied. */
  institutionId: string;
  /** The primary manager, or the head of the primary institution when coverage names no manager. */
  managerId: string | null;
  routedTo: RoutedTo;
  /** Set when the fact happened at one of the customer's secondary institutions (协办机构). */
  secondaryInstitutionId: string | null;
  secondaryManagerId: string | null;
}

/** The institution whose parameters and heads apply: coverage's primary, else where the fact happened. */
export const primaryInstitutionOf = (coverage: CustomerCoverage | null, eventInstitutionId: string): string =>
  coverage?.primaryInstitutionId ?? eventInstitutionId;

/**
 * Primary manager first; a customer with no manager goes to the queue of their primary institution's
 * head. When the fact happened at a secondary institution, that institution's manager gets it too.
 */
export function routeAlert(
  coverage: CustomerCoverage | null,
  eventInstitutionId: string,
  headOfPrimary: string | null,
): AlertRoute {
  const institutionId = primaryInstitutionOf(coverage, eventInstitutionId);
  const primaryManager = coverage?.primaryManagerId ?? null;
  const secondary =
    eventInstitutionId !== institutionId
      ? coverage?.secondary.find((s) => s.institutionId === eventInstitutionId)
      : undefined;
  return {
    institutionId,
    managerId: primaryManager ?? headOfPrimary,
    routedTo: primaryManager ? RoutedTo.PrimaryManager : RoutedTo.InstitutionHead,
    secondaryInstitutionId: secondary?.institutionId ?? null,
    secondaryManagerId: secondary?.managerId ?? null,
  };
}
