import { EVENT_SAMPLES, EventType, EventTypes, InstitutionLevel, ManagerRole } from '@crm/contracts';
/** Where the fixture publishes: a ServiceHarness, or a drill's own publisher for services in child processes. */
export interface EventFeed {
  /** Makes the fixture's ids unique to one test file or drill. */
  suffix: string;
  publishEvent(type: EventType, subject: string, data: object): Promise<unknown>;
  /** Resolves once the service has handled everything published. */
  drained(): Promise<void>;
}

/**
 * A head office, one branch with two outlets, a manager at each outlet, and customers covered by them, as
 * corebank.organisation, crm.assignment and corebank.customer state them: for a service that keeps
 * copies of the organisation, coverage and customers (campaign-service, alert-service).
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
  /** Mobile number of each customer; some share one (see sharedPhoneEvery). */
  phoneOf: Map<string, string>;
}

/** `sharedPhoneEvery`: each run of that many customers of an outlet shares one mobile number. */
export async function seedSmallBank(
  feed: EventFeed,
  customersPerOutlet: number,
  options: { sharedPhoneEvery?: number } = {},
): Promise<SmallBank> {
  const id = (name: string) => `${name}-${feed.suffix}`;
  const [HO, BR, OUT1, OUT2, M1, M2] = ['HO', 'BR', 'OUT1', 'OUT2', 'M1', 'M2'].map(id);
  const institution = (institutionId: string, parentId: string | null, level: InstitutionLevel) =>
    feed.publishEvent(EventTypes.InstitutionUpserted, institutionId, {
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
    await feed.publishEvent(EventTypes.ManagerUpserted, managerId, {
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
      // Shared numbers: a family, a company's switchboard. By default the first two customers of OUT1.
      const group = options.sharedPhoneEvery ? Math.floor(i / options.sharedPhoneEvery) : null;
      const phone =
        group !== null
          ? `13${institutionId === OUT1 ? 7 : 8}${String(group).padStart(8, '0')}`
          : institutionId === OUT1 && i < 2
            ? '13900000000'
            : `139${String(phoneOf.size).padStart(8, '0')}`;
      phoneOf.set(customerId, phone);
      await feed.publishEvent(EventTypes.CustomerRegistered, customerId, {
        ...EVENT_SAMPLES[EventTypes.CustomerRegistered],
        customerId,
        phone,
        homeInstitutionId: institutionId,
      });
      await feed.publishEvent(EventTypes.CoverageChanged, customerId, {
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
  await feed.drained();
  return { HO, BR, OUT1, OUT2, M1, M2, out1Customers, out2Customers, phoneOf };
}
