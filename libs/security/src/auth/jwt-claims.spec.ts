import { InvalidClaimsError, userFromClaims } from './jwt-claims';

const exp = Math.floor(Date.now() / 1000) + 600;

describe('userFromClaims', () => {
  it('maps the claims of a relationship manager', () => {
    expect(
      userFromClaims({
        sub: 'alice',
        exp,
        roles: ['relationship-manager'],
        inst: 'INST-0101',
        mgr: 'MGR-0101-01',
        perms: ['pii:read'],
      }),
    ).toEqual({
      userId: 'alice',
      roles: ['relationship-manager'],
      institutionId: 'INST-0101',
      managerId: 'MGR-0101-01',
      permissions: ['pii:read'],
    });
  });

  it('names a calling system after its subject', () => {
    expect(
      userFromClaims({ sub: 'mobile-banking', exp, roles: ['system'], inst: 'INST-0001' }),
    ).toMatchObject({
      systemName: 'mobile-banking',
      permissions: [],
    });
  });

  it('ignores roles and permissions it does not know', () => {
    expect(
      userFromClaims({
        sub: 'c',
        exp,
        roles: ['analyst', 'offline_access'],
        inst: 'I',
        perms: ['pii:read', 'email'],
      }),
    ).toMatchObject({
      roles: ['analyst'],
      permissions: ['pii:read'],
    });
  });

  it.each([
    ['no sub', { exp, roles: ['analyst'], inst: 'I' }, /sub/],
    ['no exp', { sub: 's', roles: ['analyst'], inst: 'I' }, /exp/],
    ['roles not a list', { sub: 's', exp, roles: 'analyst', inst: 'I' }, /roles/],
    ['none of our roles', { sub: 's', exp, roles: ['admin'], inst: 'I' }, /roles holds none/],
    ['no institution', { sub: 's', exp, roles: ['analyst'] }, /inst/],
    ['a manager without mgr', { sub: 's', exp, roles: ['relationship-manager'], inst: 'I' }, /mgr/],
    ['perms not a list', { sub: 's', exp, roles: ['analyst'], inst: 'I', perms: 'pii:read' }, /perms/],
  ])('refuses %s', (_, claims, reason) => {
    expect(() => userFromClaims(claims)).toThrow(InvalidClaimsError);
    expect(() => userFromClaims(claims)).toThrow(reason);
  });
});
