import { DataScope } from '@crm/security';
import { SqlParams } from '../common/sql-params';

/**
 * The caller's data scope as a SQL predicate on a customer id column: a relationship manager sees the
 * customers they cover (at any institution, or as private banker); an institution head the customers covered
 * by any institution of their subtree; head office and bank systems everyone.
 */
export function customerInScopeSql(
  scope: DataScope,
  customerColumn: string,
  params: SqlParams,
  schema: string,
): string {
  switch (scope.kind) {
    case 'bank':
      return 'TRUE';
    case 'institutions':
      return `EXISTS (SELECT 1 FROM "${schema}".coverage_member sm
        WHERE sm.customer_id = ${customerColumn} AND sm.institution_id = ANY(${params.add(scope.institutionIds)}::text[]))`;
    case 'manager': {
      const manager = params.add(scope.managerId);
      return `(EXISTS (SELECT 1 FROM "${schema}".coverage_member sm
          WHERE sm.customer_id = ${customerColumn} AND sm.manager_id = ${manager})
        OR EXISTS (SELECT 1 FROM "${schema}".customer_coverage sc
          WHERE sc.customer_id = ${customerColumn} AND sc.private_banker_id = ${manager}))`;
    }
  }
}
