import { SqlParams } from '@crm/persistence';
import { DataScope } from './data-scope';

/**
 * Where a service records who covers a row's customer: a column of the row (`'cv.primary_manager_id'`),
 * or a set of rows of another table of the same schema (`{ from, where, column }`, e.g. the secondary
 * coverage of the customer).
 */
export type ScopeColumn = string | { from: string; where: string; column: string };

export interface ScopeColumns {
  /** An institution covering the row's customer: an institution head sees the row when one is in their subtree. */
  institutions: readonly ScopeColumn[];
  /** A manager covering the row's customer (primary, secondary, private banker): that manager sees the row. */
  managers: readonly ScopeColumn[];
}

/**
 * A row recorded by one manager at one institution (a visit, a prospect, a coverage duty): that
 * manager sees it, and so do the heads above that institution.
 */
export const ownerScopeColumns = (alias?: string): ScopeColumns => {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return { institutions: [column('institution_id')], managers: [column('manager_id')] };
};

/**
 * The caller's data scope as a WHERE predicate over a service's columns, its parameters added to
 * `params`. The one place scope becomes SQL; each service only says where its coverage lives.
 */
export function scopePredicate(scope: DataScope, columns: ScopeColumns, params: SqlParams): string {
  switch (scope.kind) {
    case 'bank':
      return 'TRUE';
    case 'institutions': {
      const ids = `${params.add(scope.institutionIds)}::text[]`;
      return anyOf(columns.institutions, (column) => `${column} = ANY(${ids})`);
    }
    case 'manager': {
      const manager = params.add(scope.managerId);
      return anyOf(columns.managers, (column) => `${column} = ${manager}`);
    }
  }
}

function anyOf(columns: readonly ScopeColumn[], matches: (column: string) => string): string {
  if (columns.length === 0) return 'FALSE';
  const terms = columns.map((c) =>
    typeof c === 'string'
      ? matches(c)
      : `EXISTS (SELECT 1 FROM ${c.from} WHERE ${c.where} AND ${matches(c.column)})`,
  );
  return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
}
