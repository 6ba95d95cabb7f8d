import type { ScopeColumns } from '@crm/security';

/**
 * Indicators and profiles are whole-bank figures of a customer (all holdings at every institution), so only
 * callers who see all of a customer's holdings read them: the primary institution's subtree, the primary
 * manager, the private banker, head office (domain.md: a secondary institution sees only what is held there).
 * From the coverage now, as data scope is everywhere.
 */
export const wholeCustomerScopeColumns = (schema: string, customerIdColumn: string): ScopeColumns => {
  const coverage = (column: string) => ({
    from: `"${schema}".coverage cv`,
    where: `cv.customer_id = ${customerIdColumn}`,
    column: `cv.${column}`,
  });
  return {
    institutions: [coverage('primary_institution_id')],
    managers: [coverage('primary_manager_id'), coverage('private_banker_id')],
  };
};

/**
 * Aggregates of a business date group customers by the primary institution and manager their snapshot
 * recorded (coverage as of that date): a caller sees the rows of the books in their scope.
 */
export const snapshotScopeColumns = (alias: string): ScopeColumns => ({
  institutions: [`${alias}.primary_institution_id`],
  managers: [`${alias}.primary_manager_id`],
});
