import { SqlParams } from '../common/sql-params';
import { customerInScopeSql } from './scope.sql';

describe('customerInScopeSql', () => {
  it('lets the bank scope see everyone', () => {
    const params = new SqlParams();
    expect(customerInScopeSql({ kind: 'bank' }, 'c.customer_id', params, 's')).toBe('TRUE');
    expect(params.values).toEqual([]);
  });

  it('binds a head’s subtree as one array parameter', () => {
    const params = new SqlParams();
    params.add('first');
    const sql = customerInScopeSql(
      { kind: 'institutions', institutionIds: ['810000', '810100'] },
      'c.customer_id',
      params,
      's',
    );
    expect(sql).toContain('sm.institution_id = ANY($2::text[])');
    expect(params.values).toEqual(['first', ['810000', '810100']]);
  });

  it('lets a manager see customers they cover at any institution or as private banker', () => {
    const params = new SqlParams();
    const sql = customerInScopeSql(
      { kind: 'manager', managerId: 'RM-1', institutionId: '810100' },
      'x.id',
      params,
      's',
    );
    expect(sql).toContain('sm.manager_id = $1');
    expect(sql).toContain('sc.private_banker_id = $1');
    expect(params.values).toEqual(['RM-1']);
  });
});
