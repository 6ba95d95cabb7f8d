import { SqlParams } from '@crm/persistence';
import { DataScope, ScopeColumns } from '@crm/security';

/**
 * Where this service records who covers customer `c` (its coverage row `cv` joined): the primary
 * institution and manager, the private banker, and the secondary institutions and their managers.
 */
export const customerScopeColumns = (schema: string): ScopeColumns => {
  const secondary = (column: string) => ({
    from: ownSecondaryCoverage(schema, 'institution_id, manager_id'),
    where: 'TRUE',
    column,
  });
  return {
    institutions: ['cv.primary_institution_id', secondary('cs.institution_id')],
    managers: ['cv.primary_manager_id', 'cv.private_banker_id', secondary('cs.manager_id')],
  };
};

/**
 * The secondary coverage rows of customer `c` alone, as `cs`. Inside an OR, Postgres would turn a plain
 * `EXISTS (... WHERE cs.customer_id = c.id ...)` into a hash of every secondary coverage of the scope, built
 * before the first row: 41,000 rows for a branch of the 1M-customer bench bank, 150-340 ms for a search page
 * that reads 1,200 customers. OFFSET 0 keeps the subquery as written: one primary-key probe per customer.
 */
const ownSecondaryCoverage = (schema: string, columns: string): string =>
  `(SELECT ${columns} FROM "${schema}".coverage_secondary WHERE customer_id = c.id OFFSET 0) cs`;

/**
 * WHERE fragment: a holding of customer `c` at `institutionColumn` is visible to the caller, the
 * SQL form of holdingsVisibility() in @crm/security: everything for the primary side, only the
 * secondary institution's own holdings otherwise.
 */
export function holdingVisibleSql(
  schema: string,
  scope: DataScope,
  params: SqlParams,
  institutionColumn: string,
): string {
  switch (scope.kind) {
    case 'bank':
      return 'TRUE';
    case 'institutions': {
      const ids = params.add(scope.institutionIds);
      return `(cv.primary_institution_id = ANY(${ids}::text[]) OR (${institutionColumn} = ANY(${ids}::text[]) AND EXISTS (SELECT 1 FROM ${ownSecondaryCoverage(schema, 'institution_id')} WHERE cs.institution_id = ${institutionColumn})))`;
    }
    case 'manager': {
      const m = params.add(scope.managerId);
      return `(cv.primary_manager_id = ${m} OR cv.private_banker_id = ${m} OR EXISTS (SELECT 1 FROM ${ownSecondaryCoverage(schema, 'institution_id, manager_id')} WHERE cs.institution_id = ${institutionColumn} AND cs.manager_id = ${m}))`;
    }
  }
}
