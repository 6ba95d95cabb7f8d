import { InstitutionLevel, ManagerRole } from '@crm/contracts';
import { IdAllocator } from '../core/id-allocator';
import { Prng } from '../core/prng';
import type { Institution, Manager, Organisation } from './bank.model';
import { personName } from './people.util';
import { BANK_NAME, BRANCH_DISTRICTS, HEAD_OFFICE_REGION } from './zhejiang.data';

export const HEAD_OFFICE_ID = '800000';
const RELATIONSHIP_MANAGERS_PER_OUTLET = 3;
const PRIVATE_BANKERS_PER_BRANCH = 2;

/**
 * The institution tree (head office, a branch per district, three outlets each) and its staff. Depends on
 * the seed only, so the population and every scenario of a seed share it.
 */
export function buildOrganisation(seed: number): Organisation {
  const prng = new Prng(seed, 'organisation');
  const ids = new IdAllocator(prng, '1', '000000');
  const institutions: Institution[] = [
    {
      institutionId: HEAD_OFFICE_ID,
      name: `${BANK_NAME}总行`,
      level: InstitutionLevel.HeadOffice,
      parentId: null,
      regionCode: HEAD_OFFICE_REGION,
    },
  ];
  const managers: Manager[] = [];
  const staff = (institutionId: string, roles: ManagerRole[]) =>
    managers.push({ managerId: ids.managerId(), name: personName(prng), institutionId, roles });

  staff(HEAD_OFFICE_ID, [ManagerRole.InstitutionHead]);
  BRANCH_DISTRICTS.forEach((district, b) => {
    const branchId = String(801000 + b * 1000);
    institutions.push({
      institutionId: branchId,
      name: `${BANK_NAME}${district.name}支行`,
      level: InstitutionLevel.Branch,
      parentId: HEAD_OFFICE_ID,
      regionCode: district.code,
    });
    staff(branchId, [ManagerRole.InstitutionHead]);
    for (let i = 0; i < PRIVATE_BANKERS_PER_BRANCH; i++) staff(branchId, [ManagerRole.PrivateBanker]);
    district.streets.forEach((street, o) => {
      const outletId = String(Number(branchId) + o + 1);
      institutions.push({
        institutionId: outletId,
        name: `${BANK_NAME}${street}分理处`,
        level: InstitutionLevel.Outlet,
        parentId: branchId,
        regionCode: district.code,
      });
      staff(outletId, [ManagerRole.InstitutionHead, ManagerRole.RelationshipManager]);
      for (let i = 1; i < RELATIONSHIP_MANAGERS_PER_OUTLET; i++)
        staff(outletId, [ManagerRole.RelationshipManager]);
      staff(outletId, [ManagerRole.LobbyManager]);
    });
  });
  return { institutions, managers };
}

export const outletsOf = (organisation: Organisation): Institution[] =>
  organisation.institutions.filter((i) => i.level === InstitutionLevel.Outlet);

export const relationshipManagersAt = (organisation: Organisation, institutionId: string): Manager[] =>
  organisation.managers.filter(
    (m) => m.institutionId === institutionId && m.roles.includes(ManagerRole.RelationshipManager),
  );

/** Private bankers sit at the branch above an outlet. */
export const privateBankersFor = (organisation: Organisation, outlet: Institution): Manager[] =>
  organisation.managers.filter(
    (m) => m.institutionId === outlet.parentId && m.roles.includes(ManagerRole.PrivateBanker),
  );
