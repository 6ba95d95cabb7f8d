import request from 'supertest';
import { Role } from '@crm/security';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { ContactDispatcher } from './dispatch/contact-dispatcher.service';
import { campaignHarness, bearer } from './testing/campaign.fixture';

/**
 * Who may target, see and act on what: an outlet's marketing staff only their outlet's customers and
 * campaigns, a branch's its outlets', head office all; managers their own tasks; anyone else nothing.
 */
describe('campaign-service data scope matrix on the real stack', () => {
  const harness = campaignHarness('scope-matrix');
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  const campaignOf: Record<string, string> = {};

  const as = {
    out1: () => bearer({ roles: [Role.Marketing], inst: bank.OUT1, sub: 'out1-marketing' }),
    branchSecond: () => bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'branch-second' }),
    out2: () => bearer({ roles: [Role.Marketing], inst: bank.OUT2, sub: 'out2-marketing' }),
    branch: () => bearer({ roles: [Role.Marketing], inst: bank.BR, sub: 'branch-marketing' }),
    headOffice: () => bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' }),
    manager1: () => bearer({ roles: [Role.RelationshipManager], inst: bank.OUT1, mgr: bank.M1, sub: 'm1' }),
    manager2: () => bearer({ roles: [Role.RelationshipManager], inst: bank.OUT2, mgr: bank.M2, sub: 'm2' }),
    analyst: () => bearer({ roles: [Role.Analyst], inst: bank.HO, sub: 'analyst' }),
  };

  const draft = (owner: string, channels = ['sms']) => ({
    name: `for ${owner}`,
    objective: 'scope matrix',
    ownerInstitutionId: owner,
    productCodes: ['TD-36M'],
    channels,
    templates: Object.fromEntries(channels.map((c) => [c, 'offer'])),
    costPerContact: Object.fromEntries(channels.map((c) => [c, '0.05'])),
    conversionValue: { amount: '100.00', currency: 'CNY' },
    priority: 5,
    controlShare: 0,
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    audience: { kind: 'upload' },
  });

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(harness, 3);
    for (const [key, owner, token] of [
      ['out1', bank.OUT1, as.out1()],
      ['out2', bank.OUT2, as.out2()],
      ['branch', bank.BR, as.branch()],
    ] as const)
      campaignOf[key] = (
        await http.post('/api/v1/campaigns').set('authorization', token).send(draft(owner)).expect(201)
      ).body.campaignId;
  }, 120_000);

  afterAll(() => harness.destroy());

  it.each([
    ['an outlet for another outlet', 403, () => as.out1(), () => bank.OUT2],
    ['an outlet for its branch', 403, () => as.out1(), () => bank.BR],
    ['a branch for its outlet', 201, () => as.branch(), () => bank.OUT2],
    ['head office for any outlet', 201, () => as.headOffice(), () => bank.OUT1],
    ['a manager', 403, () => as.manager1(), () => bank.OUT1],
    ['an analyst', 403, () => as.analyst(), () => bank.OUT1],
  ] as const)('drafting a campaign: %s → %i', async (_who, expected, token, owner) => {
    const response = await http.post('/api/v1/campaigns').set('authorization', token()).send(draft(owner()));
    expect(response.status).toBe(expected);
    if (expected === 403) expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it.each([
    ['out1', () => as.out1(), ['out1']],
    ['out2', () => as.out2(), ['out2']],
    ['branch', () => as.branch(), ['out1', 'out2', 'branch']],
    ['head office', () => as.headOffice(), ['out1', 'out2', 'branch']],
  ] as const)('listing and reading campaigns as %s', async (_who, token, visible) => {
    const listed = await http
      .get('/api/v1/campaigns')
      .query({ limit: 200 })
      .set('authorization', token())
      .expect(200);
    const ids = new Set(listed.body.items.map((c: { campaignId: string }) => c.campaignId));
    for (const [key, id] of Object.entries(campaignOf)) {
      expect([key, ids.has(id)]).toEqual([key, (visible as readonly string[]).includes(key)]);
      await http
        .get(`/api/v1/campaigns/${id}`)
        .set('authorization', token())
        .expect((visible as readonly string[]).includes(key) ? 200 : 404);
    }
  });

  it('lists only the owner subtree’s customers as targets, reporting the others', async () => {
    const uploaded = await http
      .post(`/api/v1/campaigns/${campaignOf.out1}/targets`)
      .set('authorization', as.out1())
      .send({ customerIds: [...bank.out1Customers, ...bank.out2Customers, 'NOT A\tCUSTOMER'] })
      .expect(200);
    expect(uploaded.body.added).toBe(bank.out1Customers.length);
    expect(uploaded.body.rejected).toEqual([
      ...bank.out2Customers.map((_, i) => ({
        index: bank.out1Customers.length + i,
        reason: 'not-covered-by-owner-institution',
      })),
      { index: bank.out1Customers.length + bank.out2Customers.length, reason: 'not-a-customer-id' },
    ]);
    // Another outlet cannot add to it at all: the campaign is not in its scope.
    await http
      .post(`/api/v1/campaigns/${campaignOf.out1}/targets`)
      .set('authorization', as.out2())
      .send({ customerIds: bank.out2Customers })
      .expect(404);
  });

  it('keeps customer acts and the ledger within scope', async () => {
    await http
      .put(`/api/v1/customers/${bank.out2Customers[0]}/do-not-contact`)
      .set('authorization', as.out1())
      .send({ reason: 'complaint' })
      .expect(404);
    await http
      .put(`/api/v1/customers/${bank.out1Customers[0]}/do-not-contact`)
      .set('authorization', as.out1())
      .send({ reason: 'legal-hold' })
      .expect(204);

    // A branch campaign over both outlets, by manager task: M1 gets OUT1's tasks, M2 OUT2's.
    const tasks = (
      await http
        .post('/api/v1/campaigns')
        .set('authorization', as.branch())
        .send(draft(bank.BR, ['manager-task']))
        .expect(201)
    ).body;
    await http
      .post(`/api/v1/campaigns/${tasks.campaignId}/targets`)
      .set('authorization', as.branch())
      .send({ customerIds: [...bank.out1Customers, ...bank.out2Customers] })
      .expect(200);
    let version = tasks.version;
    for (const [action, token] of [
      ['submit', as.branch()],
      ['approve', as.branchSecond()],
      ['launch', as.branch()],
    ])
      version = (
        await http
          .post(`/api/v1/campaigns/${tasks.campaignId}/transitions`)
          .set('authorization', token)
          .send({ action, version })
          .expect(200)
      ).body.version;
    await harness.query(`UPDATE $schema.target SET due_at = now() WHERE campaign_id = $1`, [
      tasks.campaignId,
    ]);
    await harness.app.get(ContactDispatcher).runOnce();

    const m1Tasks = (await http.get('/api/v1/tasks').set('authorization', as.manager1()).expect(200)).body
      .items;
    expect(new Set(m1Tasks.map((t: { customerId: string }) => t.customerId))).toEqual(
      new Set(bank.out1Customers.slice(1)),
    );
    const m2Tasks = (await http.get('/api/v1/tasks').set('authorization', as.manager2()).expect(200)).body
      .items;
    expect(m2Tasks.every((t: { managerId: string }) => t.managerId === bank.M2)).toBe(true);
    await http
      .post(`/api/v1/tasks/${m1Tasks[0].taskId}/outcome`)
      .set('authorization', as.manager2())
      .send({ outcome: 'interested' })
      .expect(404);

    const ledgerOf = async (token: string) =>
      (await http.get('/api/v1/contact-ledger/summary').set('authorization', token).expect(200)).body
        .byInstitution;
    expect(await ledgerOf(as.out1())).toEqual([{ key: bank.OUT1, count: bank.out1Customers.length - 1 }]);
    expect(await ledgerOf(as.out2())).toEqual([{ key: bank.OUT2, count: bank.out2Customers.length }]);
    expect((await ledgerOf(as.branch())).map((r: { key: string }) => r.key).sort()).toEqual(
      [bank.OUT1, bank.OUT2].sort(),
    );
    await http
      .get('/api/v1/contact-ledger/summary')
      .query({ institutionId: bank.OUT2 })
      .set('authorization', as.out1())
      .expect(403);
  });
});
