import {
  CustomerKind,
  InstitutionLevel,
  ManagerRole,
  isChineseResidentId,
  isUnifiedSocialCreditCode,
  residentIdFacts,
} from '@crm/contracts';
import { ageOn } from '../core/calendar';
import { buildOrganisation } from './organisation.generator';
import { generatePopulation } from './population.generator';

const asOf = '2025-03-01';

describe('organisation', () => {
  const organisation = buildOrganisation(42);

  it('is one head office, four branches, three outlets each, parents listed before children', () => {
    const levels = organisation.institutions.map((i) => i.level);
    expect(levels.filter((l) => l === InstitutionLevel.HeadOffice)).toHaveLength(1);
    expect(levels.filter((l) => l === InstitutionLevel.Branch)).toHaveLength(4);
    expect(levels.filter((l) => l === InstitutionLevel.Outlet)).toHaveLength(12);
    const seen = new Set<string>();
    for (const institution of organisation.institutions) {
      if (institution.parentId !== null) expect(seen.has(institution.parentId)).toBe(true);
      seen.add(institution.institutionId);
    }
  });

  it('staffs every outlet with relationship managers and every branch with private bankers', () => {
    for (const institution of organisation.institutions) {
      const roles = organisation.managers
        .filter((m) => m.institutionId === institution.institutionId)
        .flatMap((m) => m.roles);
      if (institution.level === InstitutionLevel.Outlet) {
        expect(roles.filter((r) => r === ManagerRole.RelationshipManager).length).toBeGreaterThanOrEqual(3);
      }
      if (institution.level === InstitutionLevel.Branch) expect(roles).toContain(ManagerRole.PrivateBanker);
    }
    expect(new Set(organisation.managers.map((m) => m.managerId)).size).toBe(organisation.managers.length);
  });
});

describe('population', () => {
  const bank = generatePopulation({ seed: 42, customers: 1000, asOf });

  it('is the same for the same seed and different for another', () => {
    expect(generatePopulation({ seed: 42, customers: 1000, asOf })).toEqual(bank);
    const other = generatePopulation({ seed: 43, customers: 1000, asOf });
    expect(other.customers.map((c) => c.profile.customerId)).not.toEqual(
      bank.customers.map((c) => c.profile.customerId),
    );
  });

  it('is mostly individuals with about a tenth corporates', () => {
    const corporates = bank.customers.filter((c) => c.profile.kind === CustomerKind.Corporate).length;
    expect(corporates).toBeGreaterThan(60);
    expect(corporates).toBeLessThan(140);
  });

  it('gives individuals valid GB 11643 ID numbers matching birth date, gender and an age of 18 to 85', () => {
    for (const { profile } of bank.customers.filter((c) => c.profile.kind === CustomerKind.Individual)) {
      expect(isChineseResidentId(profile.idNumber)).toBe(true);
      expect(residentIdFacts(profile.idNumber!)).toEqual({
        birthDate: profile.birthDate,
        gender: profile.gender,
      });
      const age = ageOn(profile.birthDate!, asOf);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(85);
      expect(profile.phone).toMatch(/^1[3-9]\d{9}$/);
    }
  });

  it('gives corporates valid unified social credit codes and industries', () => {
    for (const { profile } of bank.customers.filter((c) => c.profile.kind === CustomerKind.Corporate)) {
      expect(isUnifiedSocialCreditCode(profile.unifiedSocialCreditCode)).toBe(true);
      expect(profile.industry).toMatch(/^[A-T]$/);
    }
  });

  it('opens a current account for everyone and never reuses an id', () => {
    const holders = new Set(bank.accounts.filter((a) => a.kind === 'current').map((a) => a.customerId));
    expect(holders.size).toBe(bank.customers.length);
    const ids = [
      ...bank.customers.map((c) => c.profile.customerId),
      ...bank.accounts.map((a) => a.accountId),
      ...bank.loans.map((l) => l.loanId),
      ...bank.cards.map((c) => c.cardId),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has running time deposits, wealth products, loans with schedules, and cards', () => {
    const maturing = bank.accounts.filter((a) => a.maturityDate);
    expect(maturing.some((a) => a.kind === 'time-deposit')).toBe(true);
    expect(maturing.some((a) => a.kind === 'wealth-product')).toBe(true);
    for (const account of maturing) expect(account.maturityDate! > asOf).toBe(true);
    expect(bank.loans.length).toBeGreaterThan(50);
    for (const loan of bank.loans) {
      expect(loan.schedule[0].dueDate > asOf).toBe(true);
      expect(loan.schedule[loan.schedule.length - 1].dueDate).toBe(loan.maturityDate);
    }
    expect(bank.cards.length).toBeGreaterThan(100);
  });
});
