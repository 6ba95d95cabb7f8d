import { SqlParams } from '@crm/persistence';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { Role } from '../auth/roles';
import { resolveDataScope } from './data-scope';
import { ScopeColumns, scopePredicate } from './scope-predicate';

const user = (roles: Role[], managerId?: string): AuthenticatedUser => ({
  userId: 'u1',
  roles,
  institutionId: 'BR-01',
  managerId,
  permissions: [],
});
const subtree = async () => ['BR-01', 'OUT-011'];

const columns: ScopeColumns = {
  institutions: [
    'a.institution_id',
    { from: 's.secondary cs', where: 'cs.customer_id = a.customer_id', column: 'cs.institution_id' },
  ],
  managers: ['a.manager_id', 'a.private_banker_id'],
};

describe('scopePredicate', () => {
  it('lets the bank see everything without a parameter', async () => {
    const params = new SqlParams();
    expect(scopePredicate(await resolveDataScope(user([Role.System]), subtree), columns, params)).toBe(
      'TRUE',
    );
    expect(params.values).toEqual([]);
  });

  it('matches any institution column or set against the subtree, in one parameter', async () => {
    const params = new SqlParams();
    params.add('earlier');
    const sql = scopePredicate(
      await resolveDataScope(user([Role.InstitutionHead]), subtree),
      columns,
      params,
    );
    expect(sql).toBe(
      '(a.institution_id = ANY($2::text[]) OR EXISTS (SELECT 1 FROM s.secondary cs WHERE cs.customer_id = a.customer_id AND cs.institution_id = ANY($2::text[])))',
    );
    expect(params.values).toEqual(['earlier', ['BR-01', 'OUT-011']]);
  });

  it('matches any manager column against the manager', async () => {
    const params = new SqlParams();
    const scope = await resolveDataScope(user([Role.RelationshipManager], 'M-1'), subtree);
    expect(scopePredicate(scope, columns, params)).toBe('(a.manager_id = $1 OR a.private_banker_id = $1)');
    expect(params.values).toEqual(['M-1']);
  });

  it('sees nothing where a service records no manager coverage', async () => {
    const scope = await resolveDataScope(user([Role.RelationshipManager], 'M-1'), subtree);
    expect(scopePredicate(scope, { institutions: ['x'], managers: [] }, new SqlParams())).toBe('FALSE');
  });
});
