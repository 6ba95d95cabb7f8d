import { AuthenticatedUser } from '../auth/authenticated-user';
import { Role } from '../auth/roles';
import { CustomerCoverage, DataScope, holdingsVisibility, resolveDataScope } from './data-scope';

const user = (roles: Role[], extra: Partial<AuthenticatedUser> = {}): AuthenticatedUser => ({
  userId: 'u1',
  roles,
  institutionId: 'BR-01',
  permissions: [],
  ...extra,
});
const tree: Record<string, string[]> = { 'BR-01': ['BR-01', 'OUT-011', 'OUT-012'], 'OUT-011': ['OUT-011'] };
const subtreeOf = async (id: string) => tree[id] ?? [];

// Deposits at two outlets of one branch, primary at OUT-011; a card at another branch's outlet.
const coverage: CustomerCoverage = {
  primaryInstitutionId: 'OUT-011',
  primaryManagerId: 'M-1',
  secondary: [
    { institutionId: 'OUT-012', managerId: 'M-2' },
    { institutionId: 'OUT-021', managerId: null },
  ],
  privateBankerId: 'PB-9',
};

describe('resolveDataScope', () => {
  it('gives admins and systems the bank', async () => {
    await expect(resolveDataScope(user([Role.HeadOfficeAdmin]), subtreeOf)).resolves.toEqual({
      kind: 'bank',
    });
    await expect(resolveDataScope(user([Role.System]), subtreeOf)).resolves.toEqual({ kind: 'bank' });
  });

  it('gives a head the subtree of their institution', async () => {
    await expect(resolveDataScope(user([Role.InstitutionHead]), subtreeOf)).resolves.toEqual({
      kind: 'institutions',
      institutionIds: ['BR-01', 'OUT-011', 'OUT-012'],
    });
  });

  it('takes the widest role when a user has several', async () => {
    const headAndManager = user([Role.RelationshipManager, Role.InstitutionHead], { managerId: 'M-1' });
    await expect(resolveDataScope(headAndManager, subtreeOf)).resolves.toMatchObject({
      kind: 'institutions',
    });
  });

  it('gives a manager their own book', async () => {
    await expect(
      resolveDataScope(user([Role.RelationshipManager], { managerId: 'M-1' }), subtreeOf),
    ).resolves.toEqual({
      kind: 'manager',
      managerId: 'M-1',
      institutionId: 'BR-01',
    });
  });

  it('refuses roles without customer access and heads of unknown institutions', async () => {
    await expect(resolveDataScope(user([Role.Marketing]), subtreeOf)).rejects.toThrow(
      'no role of the caller',
    );
    await expect(
      resolveDataScope(user([Role.InstitutionHead], { institutionId: 'NOPE' }), subtreeOf),
    ).rejects.toThrow('institution NOPE is unknown');
  });
});

describe('holdingsVisibility', () => {
  const cases: [string, DataScope, ReturnType<typeof holdingsVisibility>][] = [
    ['head office', { kind: 'bank' }, { kind: 'all' }],
    [
      'head of the primary institution',
      { kind: 'institutions', institutionIds: ['OUT-011'] },
      { kind: 'all' },
    ],
    [
      'head of the branch above the primary',
      { kind: 'institutions', institutionIds: ['BR-01', 'OUT-011', 'OUT-012'] },
      { kind: 'all' },
    ],
    [
      'head of a secondary outlet',
      { kind: 'institutions', institutionIds: ['OUT-012'] },
      { kind: 'institutions', institutionIds: ['OUT-012'] },
    ],
    [
      'head of the other branch',
      { kind: 'institutions', institutionIds: ['BR-02', 'OUT-021'] },
      { kind: 'institutions', institutionIds: ['OUT-021'] },
    ],
    ['head of an unrelated branch', { kind: 'institutions', institutionIds: ['BR-03'] }, { kind: 'none' }],
    ['primary manager', { kind: 'manager', managerId: 'M-1', institutionId: 'OUT-011' }, { kind: 'all' }],
    ['private banker', { kind: 'manager', managerId: 'PB-9', institutionId: 'HO' }, { kind: 'all' }],
    [
      'secondary manager',
      { kind: 'manager', managerId: 'M-2', institutionId: 'OUT-012' },
      { kind: 'institutions', institutionIds: ['OUT-012'] },
    ],
    ['another manager', { kind: 'manager', managerId: 'M-7', institutionId: 'OUT-011' }, { kind: 'none' }],
  ];

  it.each(cases)('%s', (_who, scope, expected) => {
    expect(holdingsVisibility(scope, coverage)).toEqual(expected);
  });
});
