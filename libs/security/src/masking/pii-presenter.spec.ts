import { AuthenticatedUser } from '../auth/authenticated-user';
import { Permission, Role } from '../auth/roles';
import { PiiPresenter } from './pii-presenter';

const user = (permissions: Permission[]): AuthenticatedUser => ({
  userId: 'alice',
  roles: [Role.RelationshipManager],
  institutionId: 'INST-0101',
  managerId: 'MGR-0101-01',
  permissions,
});

describe('PiiPresenter', () => {
  it('masks without pii:read and needs no audit', () => {
    const pii = new PiiPresenter(user([]));
    expect(pii.idNumber('110105199003071234')).toBe('110***********1234');
    expect(pii.phone('13812345678')).toBe('138****5678');
    expect(pii.canReveal).toBe(false);
    expect(pii.auditRequired).toBe(false);
  });

  it('reveals with pii:read and asks for an audit record naming the fields', () => {
    const pii = new PiiPresenter(user([Permission.PiiRead]));
    expect(pii.phone('13812345678')).toBe('13812345678');
    expect(pii.auditRequired).toBe(true);
    expect(pii.idNumber('110105199003071234')).toBe('110105199003071234');
    expect(pii.revealedFields).toEqual(['idNumber', 'phone']);
  });

  it('shows a birth date as its year only without pii:read, in full (audited) with it', () => {
    expect(new PiiPresenter(user([])).birthDate('1990-03-07')).toBe('1990-**-**');
    const pii = new PiiPresenter(user([Permission.PiiRead]));
    expect(pii.birthDate('1990-03-07')).toBe('1990-03-07');
    expect(pii.revealedFields).toEqual(['birthDate']);
  });

  it('does not count absent values as revealed', () => {
    const pii = new PiiPresenter(user([Permission.PiiRead]));
    expect(pii.idNumber(null)).toBeNull();
    expect(pii.phone(undefined)).toBeNull();
    expect(pii.auditRequired).toBe(false);
  });

  it('pii:write alone does not reveal', () => {
    expect(new PiiPresenter(user([Permission.PiiWrite])).phone('13812345678')).toBe('138****5678');
  });
});
