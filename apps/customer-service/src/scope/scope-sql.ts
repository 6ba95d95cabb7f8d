import { DataScope } from '@crm/security';

/** Positional parameters of one SQL statement, added as the statement is built. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * WHERE fragment: the customer `c` (with its coverage row `cv` joined) is within the caller's scope.
 * An institution head sees customers their subtree covers as primary or secondary; a manager the
 * customers they cover.
 */
export function customerInScopeSql(schema: string, scope: DataScope, params: SqlParams): string {
  switch (scope.kind) {
    case 'bank':
      return 'TRUE';
    case 'institutions': {
      const ids = params.add(scope.institutionIds);
      return `(cv.primary_institution_id = ANY(${ids}::text[]) OR EXISTS (SELECT 1 FROM "${schema}".coverage_secondary cs WHERE cs.customer_id = c.id AND cs.institution_id = ANY(${ids}::text[])))`;
    }
    case 'manager': {
      const m = params.add(scope.managerId);
      return `(cv.primary_manager_id = ${m} OR cv.private_banker_id = ${m} OR EXISTS (SELECT 1 FROM "${schema}".coverage_secondary cs WHERE cs.customer_id = c.id AND cs.manager_id = ${m}))`;
    }
  }
}

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
      return `(cv.primary_institution_id = ANY(${ids}::text[]) OR (${institutionColumn} = ANY(${ids}::text[]) AND EXISTS (SELECT 1 FROM "${schema}".coverage_secondary cs WHERE cs.customer_id = c.id AND cs.institution_id = ${institutionColumn})))`;
    }
    case 'manager': {
      const m = params.add(scope.managerId);
      return `(cv.primary_manager_id = ${m} OR cv.private_banker_id = ${m} OR EXISTS (SELECT 1 FROM "${schema}".coverage_secondary cs WHERE cs.customer_id = c.id AND cs.institution_id = ${institutionColumn} AND cs.manager_id = ${m}))`;
    }
  }
}
