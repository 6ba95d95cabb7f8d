import { gb11643CheckDigit } from '@crm/contracts';
import { BRANCHES, benchCustomer, customerId, institutions } from './bench-bank.data';

describe('the benchmark bank', () => {
  const customers = Array.from({ length: 10_000 }, (_, i) => benchCustomer(i + 1));

  it('generates the same customer from the same sequence number', () => {
    expect(benchCustomer(4242)).toEqual(benchCustomer(4242));
    expect(benchCustomer(4242)).not.toEqual(benchCustomer(4243));
  });

  it('numbers customers so that ids sort as the numbers do (keyset pages follow them)', () => {
    expect(customerId(9)).toBe('C100000000009');
    expect(customerId(9) < customerId(10)).toBe(true);
  });

  it('places every customer at an outlet of the tree, covered elsewhere when covered twice', () => {
    const tree = new Map(institutions().map((i) => [i.id, i]));
    for (const c of customers) {
      expect(tree.get(c.homeInstitutionId)?.level).toBe('outlet');
      if (c.secondary) {
        expect(tree.get(c.secondary.institutionId)?.level).toBe('outlet');
        expect(c.secondary.institutionId).not.toBe(c.homeInstitutionId);
      }
    }
  });

  it('spreads customers over the branches by their weights', () => {
    for (const branch of BRANCHES) {
      const share = customers.filter((c) => c.homeInstitutionId.startsWith(`${branch.id}-`)).length;
      expect(share / customers.length).toBeCloseTo(branch.weight, 1);
    }
  });

  it('gives individuals valid 18-character resident ID numbers matching their birth date', () => {
    for (const c of customers.filter((x) => x.kind === 'individual').slice(0, 500)) {
      expect(c.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(c.idNumber.slice(17)).toBe(gb11643CheckDigit(c.idNumber.slice(0, 17)));
      expect(c.idNumber.slice(6, 14)).toBe(c.birthDate?.replace(/-/g, ''));
    }
  });
});
