import { Metadata, ServiceError, credentials, loadPackageDefinition, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import request from 'supertest';
import { CAMPAIGN_PROTO, MarketingChannel } from '@crm/contracts';
import { Role } from '@crm/security';
import { SmallBank, seedSmallBank } from '@crm/testing';
import { OffersRepository } from './offers/offers.repository';
import { OffersService } from './offers/offers.service';
import { bearer, campaignHarness, launchCampaign } from './testing/campaign.fixture';

type Unary = (
  req: object,
  md: Metadata,
  cb: (e: ServiceError | null, r: Record<string, unknown>) => void,
) => void;

/** The lobby, the counter and the app ask for the best offer over REST and gRPC, under the contact policy. */
describe('next best offer on the real stack', () => {
  const harness = campaignHarness('next-best-offer');
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  let grpc: Record<string, Unary> & { close(): void };

  const lobbyApp = () => bearer({ roles: [Role.System], inst: bank.HO, sub: 'lobby-app' });
  const lobbyDecides = (customerId: string, channel: string) =>
    http
      .post('/api/v1/offers/decide')
      .set('authorization', lobbyApp())
      .send({ customerId, channel })
      .expect(200);
  const admin = () => bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' });
  const marketing = (sub: string) => bearer({ roles: [Role.Marketing], inst: bank.BR, sub });
  const call = (method: string, body: object, token: string) =>
    new Promise<{ code: status; body?: Record<string, unknown>; message?: string }>((resolve) => {
      const metadata = new Metadata();
      metadata.set('authorization', token);
      grpc[method].call(grpc, body, metadata, (error, response) =>
        resolve(error ? { code: error.code, message: error.details } : { code: status.OK, body: response }),
      );
    });

  const runningCampaign = (
    name: string,
    priority: number,
    product: string,
    value: string,
    customers: string[],
  ) =>
    launchCampaign(
      http,
      { author: marketing('alice'), approver: marketing('bob') },
      { name, owner: bank.BR, channels: ['lobby', 'counter'], product, priority, value },
      customers,
    );

  beforeAll(async () => {
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(harness, 4);
    const definition = loadSync(CAMPAIGN_PROTO.path, { keepCase: false, defaults: false, oneofs: true });
    const pkg = loadPackageDefinition(definition) as unknown as {
      crm: { campaign: { v1: { CampaignService: new (a: string, c: unknown) => typeof grpc } } };
    };
    grpc = new pkg.crm.campaign.v1.CampaignService(harness.grpcAddress, credentials.createInsecure());
    await http
      .put('/api/v1/contact-policy')
      .set('authorization', admin())
      .send({
        caps: [{ subject: 'customer', channel: 'lobby', period: 'day', max: 1 }],
        quietHours: [],
        declineCoolingDays: 30,
        dailyCapacity: {},
        managerDailyTasks: 10,
      })
      .expect(200);
  }, 120_000);

  afterAll(async () => {
    grpc?.close();
    await harness.destroy();
  });

  it('offers the best campaign by priority × propensity × value, once a day in the lobby, and records it', async () => {
    const [customer] = bank.out1Customers;
    const modest = await runningCampaign('modest', 50, 'TD-36M', '100.00', [customer]);
    const valuable = await runningCampaign('valuable', 10, 'WM-12M', '2000.00', [customer]);

    const first = await http
      .post('/api/v1/offers/decide')
      .set('authorization', lobbyApp())
      .send({
        customerId: customer,
        channel: 'lobby',
        context: { institutionId: bank.OUT1, ticketId: 'A017' },
      })
      .expect(200);
    expect(first.body.offer).toMatchObject({ campaignId: valuable, productCodes: ['WM-12M'] });

    const again = await lobbyDecides(customer, 'lobby');
    expect(again.body).toMatchObject({ offer: null, reason: 'cap:customer:lobby:day' });

    // The counter is another channel with no cap of its own: the best offer still stands there.
    const counter = await lobbyDecides(customer, 'counter');
    expect(counter.body.offer).toMatchObject({ campaignId: valuable });
    expect(modest).not.toBe(valuable);

    const recorded = await harness.query<{ campaign_id: string | null; reason: string | null }>(
      `SELECT campaign_id, reason FROM $schema.offer_decision WHERE customer_id = $1 ORDER BY decided_at`,
      [customer],
    );
    expect(recorded).toEqual([
      { campaign_id: valuable, reason: null },
      { campaign_id: null, reason: 'cap:customer:lobby:day' },
      { campaign_id: valuable, reason: null },
    ]);
    const ledger = await harness.query<{ channel: string }>(
      `SELECT channel FROM $schema.contact WHERE customer_id = $1 AND outcome = 'sent' ORDER BY recorded_at`,
      [customer],
    );
    expect(ledger.map((r) => r.channel)).toEqual(['lobby', 'counter']);
  });

  it('holds a declined product off for the cooling period, over gRPC as over REST', async () => {
    const customer = bank.out1Customers[1];
    await runningCampaign('cards', 30, 'CC-GOLD', '500.00', [customer]);
    const decided = await call('Decide', { customerId: customer, channel: 'counter' }, lobbyApp());
    expect(decided.code).toBe(status.OK);
    const offer = decided.body!.offer as { productCodes: string[]; propensity: string };
    expect(offer.productCodes).toEqual(['CC-GOLD']);
    // No profile of the customer: the stated default.
    expect(offer.propensity).toBe('0.0500');

    const declined = await call(
      'RecordResponse',
      { decisionId: decided.body!.decisionId, response: 'declined' },
      lobbyApp(),
    );
    expect(declined.code).toBe(status.OK);
    const twice = await call(
      'RecordResponse',
      { decisionId: decided.body!.decisionId, response: 'accepted' },
      lobbyApp(),
    );
    expect(twice.code).toBe(status.ALREADY_EXISTS);

    // A second campaign offering the same card: cooled off, so nothing.
    await runningCampaign('cards again', 90, 'CC-GOLD', '900.00', [customer]);
    const later = await call('Decide', { customerId: customer, channel: 'lobby' }, lobbyApp());
    expect(later.body).toMatchObject({ reason: 'declined-recently' });
    expect(later.body!.offer).toBeUndefined();
  });

  it('decides for customers arriving together, each on their own campaigns, facts and caps', async () => {
    const [first, second, untargeted] = bank.out2Customers;
    const together = await runningCampaign('together', 40, 'WM-12M', '300.00', [first, second]);
    // Decisions arriving in the same moment share their reads and writes: each must still get its own answer.
    const answers = await Promise.all(
      [first, second, untargeted, first].map((customerId) => lobbyDecides(customerId, 'lobby')),
    );
    const byCustomer = (customerId: string) => answers.filter((a) => a.body.customerId === customerId);
    expect(byCustomer(second)[0].body.offer).toMatchObject({ campaignId: together });
    expect(byCustomer(untargeted)[0].body).toMatchObject({ offer: null, reason: 'no-campaign' });
    // The lobby allows one offer a day: of the two decisions for `first`, exactly one offers.
    expect(
      byCustomer(first)
        .map((a) => a.body.reason)
        .sort(),
    ).toEqual(['cap:customer:lobby:day', null]);

    const recorded = await harness.query<{ decision_id: string; campaign_id: string | null }>(
      `SELECT decision_id, campaign_id FROM $schema.offer_decision WHERE customer_id = ANY($1)`,
      [[first, second, untargeted]],
    );
    expect(new Map(recorded.map((r) => [r.decision_id, r.campaign_id]))).toEqual(
      new Map(answers.map((a) => [a.body.decisionId, a.body.offer?.campaignId ?? null])),
    );
    const targets = await harness.query<{ customer_id: string; state: string }>(
      `SELECT customer_id, state FROM $schema.target WHERE campaign_id = $1 ORDER BY customer_id`,
      [together],
    );
    expect(targets).toEqual(
      [first, second].sort().map((customer_id) => ({ customer_id, state: 'contacted' })),
    );
  });

  it('records the rest of a batch Postgres refuses one decision of, and frees that decision’s cap', async () => {
    const [refused, accepted] = bank.out1Customers.slice(2, 4);
    const refusing = await runningCampaign('refusing', 20, 'TD-36M', '100.00', [refused, accepted]);
    await harness.query(
      `CREATE FUNCTION $schema.refuse_decision() RETURNS trigger LANGUAGE plpgsql
         AS $body$ BEGIN RAISE EXCEPTION 'decision refused by the test'; END $body$`,
    );
    await harness.query(
      `CREATE TRIGGER refuse_decision BEFORE INSERT ON $schema.offer_decision FOR EACH ROW
         WHEN (NEW.customer_id = '${refused}') EXECUTE FUNCTION $schema.refuse_decision()`,
    );
    const offers = harness.app.get(OffersService);
    const records = jest.spyOn(harness.app.get(OffersRepository), 'recordDecisions');
    const lobbySystem = {
      userId: 'lobby-app',
      roles: [Role.System],
      institutionId: bank.HO,
      permissions: [],
    };
    // Asked in the same tick: one batch, one statement, which the refused decision fails for both.
    const [refusedAnswer, acceptedAnswer] = await Promise.allSettled(
      [refused, accepted].map((customerId) =>
        offers.decide(lobbySystem, { customerId, channel: MarketingChannel.Lobby }),
      ),
    );
    expect(records.mock.calls.map(([decisions]) => decisions.length)).toEqual([2, 1, 1]);
    records.mockRestore();
    expect(refusedAnswer).toMatchObject({
      status: 'rejected',
      reason: expect.objectContaining({ message: 'decision refused by the test' }),
    });
    expect(acceptedAnswer).toMatchObject({
      status: 'fulfilled',
      value: { customerId: accepted, offer: { campaignId: refusing } },
    });
    const recorded = await harness.query<{ customer_id: string }>(
      `SELECT customer_id FROM $schema.offer_decision WHERE customer_id = ANY($1)`,
      [[refused, accepted]],
    );
    expect(recorded).toEqual([{ customer_id: accepted }]);

    await harness.query(`DROP TRIGGER refuse_decision ON $schema.offer_decision`);
    // The lobby allows one offer a day: the refused decision's reservation was given back.
    const again = await lobbyDecides(refused, 'lobby');
    expect(again.body.offer).toMatchObject({ campaignId: refusing });
  });

  it('refuses a bad channel with the field named, and staff outside their scope as not found', async () => {
    const bad = await call('Decide', { customerId: bank.out1Customers[0], channel: 'sms' }, lobbyApp());
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.message).toMatch(/channel/);
    const outletHead = bearer({ roles: [Role.InstitutionHead], inst: bank.OUT2 });
    const refused = await http
      .post('/api/v1/offers/decide')
      .set('authorization', outletHead)
      .send({ customerId: bank.out1Customers[0], channel: 'counter' })
      .expect(404);
    expect(refused.body.code).toBe('CUSTOMER_NOT_FOUND');
    const unauthenticated = await call(
      'Decide',
      { customerId: bank.out1Customers[0], channel: 'lobby' },
      'Bearer nope',
    );
    expect(unauthenticated.code).toBe(status.UNAUTHENTICATED);
  });
});
