import { routeAlert } from './alert-routing';

const coverage = {
  primaryInstitutionId: 'OUT-1',
  primaryManagerId: 'M-1',
  privateBankerId: null,
  secondary: [
    { institutionId: 'OUT-2', managerId: 'M-2' },
    { institutionId: 'OUT-3', managerId: null },
  ],
};

describe('routeAlert', () => {
  it('goes to the primary manager for a fact at the primary institution', () => {
    expect(routeAlert(coverage, 'OUT-1', 'H-1')).toEqual({
      institutionId: 'OUT-1',
      managerId: 'M-1',
      routedTo: 'primary-manager',
      secondaryInstitutionId: null,
      secondaryManagerId: null,
    });
  });

  it('adds the secondary institution’s manager for a fact at that institution', () => {
    expect(routeAlert(coverage, 'OUT-2', 'H-1')).toMatchObject({
      institutionId: 'OUT-1',
      managerId: 'M-1',
      secondaryInstitutionId: 'OUT-2',
      secondaryManagerId: 'M-2',
    });
    expect(routeAlert(coverage, 'OUT-3', null)).toMatchObject({
      secondaryInstitutionId: 'OUT-3',
      secondaryManagerId: null,
    });
  });

  it('goes to the head of the primary institution when no manager is assigned', () => {
    expect(routeAlert({ ...coverage, primaryManagerId: null }, 'OUT-1', 'H-1')).toMatchObject({
      managerId: 'H-1',
      routedTo: 'institution-head',
    });
  });

  it('falls back to the institution where the fact happened when coverage is not known yet', () => {
    expect(routeAlert(null, 'OUT-9', null)).toEqual({
      institutionId: 'OUT-9',
      managerId: null,
      routedTo: 'institution-head',
      secondaryInstitutionId: null,
      secondaryManagerId: null,
    });
  });
});
