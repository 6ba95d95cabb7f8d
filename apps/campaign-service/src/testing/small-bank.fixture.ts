import { EVENT_SAMPLES, EventTypes, InstitutionLevel, ManagerRole } from '@crm/contracts';
import { CampaignServiceHarness } from './campaign-service.harness';

/**
 * A head office, one branch with two outlets, a manager at each outlet, and customers covered by them:
 * what campaign-service learns from corebank.organisation, crm.assignment and corebank.customer.
 */
export interface SmallBank {
  HO: string;
  BR: string;
  OUT1: string;
  OUT2: string;
  M1: string;
  M2: string;
  /** Customers of OUT1 (covered by M1), then of OUT2 (covered by M2). */
  out1Customers: string[];
  out2Customers: string[];
  /** Mobile number of a customer (two customers of OUT1 share one). */
  phoneOf: Map<string, string>;
}

export async function seedSmallBank(
  harness: CampaignServiceHarness,
  customersPerOutlet: number,
): Promise<SmallBank> {
  const id = (name: string) => `${name}-${harness.suffix}`;
  const [HO, BR, OUT1, OUT2, M1, M2] = ['HO', 'BR', 'OUT1', 'OUT2', 'M1', 'M2'].map(id);
  const institution = (institutionId: string, parentId: string | null, level: string) =>
    harness.publish(EventTypes.InstitutionUpserted, institutionId, {
      institutionId,
      parentId,
      level,
      name: institutionId,
      regionCode: '330106',
      active: true,
    });
  await institution(HO, null, InstitutionLevel.HeadOffice);
  await institution(BR, HO, InstitutionLevel.Branch);
  await institution(OUT1, BR, InstitutionLevel.Outlet);
  await institution(OUT2, BR, InstitutionLevel.Outlet);
  for (const [managerId, institutionId] of [
    [M1, OUT1],
    [M2, OUT2],
  ])
    await harness.publish(EventTypes.ManagerUpserted, managerId, {
      managerId,
      name: managerId,
      institutionId,
      roles: [ManagerRole.RelationshipManager],
      active: true,
    });

  const out1Customers = Array.from({ length: customersPerOutlet }, (_, i) => id(`C1-${i}`));
  const out2Customers = Array.from({ length: customersPerOutlet }, (_, i) => id(`C2-${i}`));
  const phoneOf = new Map<string, string>();
  let version = 0;
  for (const [customers, institutionId, managerId] of [
    [out1Customers, OUT1, M1],
    [out2Customers, OUT2, M2],
  ] as const)
    for (const [i, customerId] of customers.entries()) {
      // The first two customers of OUT1 share a phone number (a family, a company's switchboard).
      const phone =
        institutionId === OUT1 && i < 2 ? '13900000000' : `139${String(phoneOf.size).padStart(8, '0')}`;
      phoneOf.set(customerId, phone);
      await harness.publish(EventTypes.CustomerRegistered, customerId, {
        ...EVENT_SAMPLES[EventTypes.CustomerRegistered],
        customerId,
        phone,
        homeInstitutionId: institutionId,
      });
      await harness.publish(EventTypes.CoverageChanged, customerId, {
        customerId,
        version: (version += 1),
        primary: { institutionId, managerId, reason: 'largest-deposit', basis: 'automatic' },
        secondary: [],
        keyCustomer: false,
        privateBankerId: null,
        changedAt: new Date().toISOString(),
        changedBy: 'system',
        note: 'seeded',
      });
    }
  await harness.drained();
  return { HO, BR, OUT1, OUT2, M1, M2, out1Customers, out2Customers, phoneOf };
}
