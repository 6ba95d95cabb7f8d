import { AuthenticatedUser, Role } from '@crm/security';
import { lobbyScopeOf } from './lobby-scope.rule';

const user = (roles: Role[], institutionId: string): AuthenticatedUser => ({
  userId: 'u',
  roles,
  institutionId,
  permissions: [],
});
const tree: Record<string, string[]> = { BR: ['BR', 'OUT1', 'OUT2'], OUT1: ['OUT1'] };
const subtreeOf = async (id: string) => tree[id] ?? [];

describe('lobbyScopeOf', () => {
  it('gives a lobby manager their own outlet, known to the tree or not yet', async () => {
    await expect(lobbyScopeOf(user([Role.LobbyManager], 'OUT1'), subtreeOf)).resolves.toEqual({
      outletIds: ['OUT1'],
    });
    await expect(lobbyScopeOf(user([Role.LobbyManager], 'NEW'), subtreeOf)).resolves.toEqual({
      outletIds: ['NEW'],
    });
  });

  it('gives an institution head the outlets of their subtree', async () => {
    await expect(lobbyScopeOf(user([Role.InstitutionHead], 'BR'), subtreeOf)).resolves.toEqual({
      outletIds: ['BR', 'OUT1', 'OUT2'],
    });
  });

  it('refuses a head of an unknown institution and a role that watches no lobby', async () => {
    await expect(lobbyScopeOf(user([Role.InstitutionHead], 'GONE'), subtreeOf)).rejects.toMatchObject({
      status: 403,
    });
    await expect(lobbyScopeOf(user([Role.RelationshipManager], 'OUT1'), subtreeOf)).rejects.toMatchObject({
      status: 403,
    });
  });
});
