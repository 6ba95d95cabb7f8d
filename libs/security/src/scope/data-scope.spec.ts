import { AuthenticatedUser } from '../auth/authenticated-user';
import { Role } from '../auth/roles';
import {
  CustomerCoverage,
  DataScope,
  holdingsVisibility,
  managerScopeOf,
  resolveDataScope,
  resolveScopeOfInstitution,
} from './data-scope';

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

describe('resolveScopeOfInstitution', () => {
  it('gives a system the subtree of the institution it acts for', async () => {
    await expect(resolveScopeOfInstitution(user([Role.System]), 'BR-01', subtreeOf)).resolves.toEqual({
      kind: 'institutions',
      institutionIds: ['BR-01', 'OUT-011', 'OUT-012'],
    });
  });

  it.each([[Role.HeadOfficeAdmin], [Role.InstitutionHead], [Role.Marketing]])(
    'refuses a %s: only a system acts for an institution',
    async (role) => {
      await expect(resolveScopeOfInstitution(user([role]), 'OUT-011', subtreeOf)).rejects.toMatchObject({
        status: 403,
        response: { code: 'AUTH_ROLE_FORBIDDEN' },
      });
    },
  );

  it('refuses an unknown institution rather than answer with an empty scope', async () => {
    await expect(resolveScopeOfInstitution(user([Role.System]), 'NOPE', subtreeOf)).rejects.toMatchObject({
      status: 403,
      response: { code: 'OUTSIDE_DATA_SCOPE' },
    });
  });
});

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

  it('gives marketing staff their institution subtree, as its head has: they target its customers', async () => {
    await expect(resolveDataScope(user([Role.Marketing]), subtreeOf)).resolves.toMatchObject({
      kind: 'institutions',
    });
  });

  it('refuses roles without customer access and heads of unknown institutions', async () => {
    await expect(resolveDataScope(user([Role.Analyst]), subtreeOf)).rejects.toThrow('no role of the caller');
    await expect(
      resolveDataScope(user([Role.InstitutionHead], { institutionId: 'NOPE' }), subtreeOf),
    ).rejects.toThrow('institution NOPE is unknown');
  });
});

describe('holdingsVisibility', () => {
  const head = (...institutionIds: string[]) =>
    resolveDataScope(user([Role.InstitutionHead]), async () => institutionIds);
  const manager = (managerId: string) =>
    resolveDataScope(user([Role.RelationshipManager], { managerId }), subtreeOf);
  const cases: [string, () => Promise<DataScope>, ReturnType<typeof holdingsVisibility>][] = [
    ['head office', () => resolveDataScope(user([Role.HeadOfficeAdmin]), subtreeOf), { kind: 'all' }],
    ['head of the primary institution', () => head('OUT-011'), { kind: 'all' }],
    ['head of the branch above the primary', () => head('BR-01', 'OUT-011', 'OUT-012'), { kind: 'all' }],
    [
      'head of a secondary outlet',
      () => head('OUT-012'),
      { kind: 'institutions', institutionIds: ['OUT-012'] },
    ],
    [
      'head of the other branch',
      () => head('BR-02', 'OUT-021'),
      { kind: 'institutions', institutionIds: ['OUT-021'] },
    ],
    ['head of an unrelated branch', () => head('BR-03'), { kind: 'none' }],
    ['primary manager', () => manager('M-1'), { kind: 'all' }],
    ['private banker', () => manager('PB-9'), { kind: 'all' }],
    ['secondary manager', () => manager('M-2'), { kind: 'institutions', institutionIds: ['OUT-012'] }],
    ['another manager', () => manager('M-7'), { kind: 'none' }],
  ];

  it.each(cases)('%s', async (_who, scope, expected) => {
    expect(holdingsVisibility(await scope(), coverage)).toEqual(expected);
  });
});

describe('managerScopeOf', () => {
  it('is the manager book of a relationship manager, whatever wider role they also hold', () => {
    const headAndManager = user([Role.RelationshipManager, Role.InstitutionHead], { managerId: 'M-1' });
    expect(managerScopeOf(headAndManager)).toEqual({
      kind: 'manager',
      managerId: 'M-1',
      institutionId: 'BR-01',
    });
  });

  it('is null for anyone else', () => {
    expect(managerScopeOf(user([Role.InstitutionHead]))).toBeNull();
    expect(managerScopeOf(user([Role.RelationshipManager]))).toBeNull();
  });
});

describe('a scope comes only from a caller', () => {
  it('does not type-check when written by hand', () => {
    // @ts-expect-error a literal is not a DataScope: only resolveDataScope and managerScopeOf make one
    const forged: DataScope = { kind: 'bank' };
    expect(forged.kind).toBe('bank');
  });
});
