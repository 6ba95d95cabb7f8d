import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { BusinessCalendar, addDays } from '@crm/calendar';
import { EVENT_SAMPLES, EventTypes, QueueTicketIssuedPayload } from '@crm/contracts';
import { Role } from '@crm/security';
import { LobbyCardDto, LobbyQueueDto } from './lobby/lobby.dto';
import { lobbyChannelOf } from './lobby/lobby-ticket.repository';
import { SmallBank, seedSmallBank, until } from '@crm/testing';
import { bearer, campaignHarness, launchCampaign } from './testing/campaign.fixture';

const calendar = new BusinessCalendar('Asia/Shanghai');

/**
 * The lobby on the real stack: queue tickets from lobby.queue become cards (who waits, what they hold,
 * what to offer) streamed to the outlet's lobby managers and heads above it, whichever instance consumed
 * the ticket and across a lost listener connection; the queue lists the day's tickets; a lobby manager
 * may present an offer to a customer queuing at their outlet and to no one else.
 */
describe('lobby cards on the real stack', () => {
  const harness = campaignHarness('lobby');
  let bank: SmallBank;
  let http: ReturnType<typeof request>;
  let campaignId: string;
  let ticketSeq = 0;

  const lobbyManager = (outlet: string) =>
    bearer({ roles: [Role.LobbyManager], inst: outlet, sub: `lobby-${outlet}` });
  const head = (institution: string) => bearer({ roles: [Role.InstitutionHead], inst: institution });
  const marketing = (sub: string) => bearer({ roles: [Role.Marketing], inst: bank.BR, sub });
  const admin = () => bearer({ roles: [Role.HeadOfficeAdmin], inst: bank.HO, sub: 'head-office' });

  const issueTicket = async (
    institutionId: string,
    customerId: string | null,
    overrides: Partial<QueueTicketIssuedPayload> = {},
  ): Promise<QueueTicketIssuedPayload> => {
    ticketSeq += 1;
    const ticket: QueueTicketIssuedPayload = {
      ticketId: `Q-${harness.suffix}-${ticketSeq}`,
      institutionId,
      customerId,
      service: 'wealth',
      ticketNumber: `V${String(ticketSeq).padStart(3, '0')}`,
      waitingAhead: 3,
      issuedAt: new Date().toISOString(),
      ...overrides,
    };
    await harness.publishEvent(EventTypes.QueueTicketIssued, customerId ?? ticket.ticketId, ticket);
    return ticket;
  };

  /** Opens the lobby stream as `authorization`; collects the cards it receives. */
  const openStream = async (authorization: string, port = serverPort(0)) => {
    let text = '';
    let status = 0;
    const req = httpRequest(
      {
        port,
        agent: false,
        path: '/api/v1/lobby/stream',
        headers: { Authorization: authorization, Accept: 'text/event-stream' },
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      },
    );
    req.on('error', () => undefined);
    req.end();
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the stream subscribe first
    const cards = () => [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]) as LobbyCardDto);
    return {
      status: () => status,
      cards,
      /** Waits for the card of `ticketId` (undefined when it did not come in `timeoutMs`). */
      cardOf: async (ticketId: string, timeoutMs = 20_000) =>
        (
          await until(
            async () => cards(),
            (all) => all.some((c) => c.ticketId === ticketId),
            timeoutMs,
          )
        ).find((c) => c.ticketId === ticketId),
      close: () => req.destroy(),
    };
  };
  const serverPort = (instance: number) =>
    (harness.instances[instance].getHttpServer().address() as AddressInfo).port;

  const runningLobbyCampaign = (product: string, customers: string[]) =>
    launchCampaign(
      http,
      { author: marketing('alice'), approver: marketing('bob') },
      { name: 'lobby wealth', owner: bank.BR, channels: ['lobby'], product, priority: 40, value: '3000.00' },
      customers,
    );

  beforeAll(async () => {
    await harness.start();
    // A second instance of the deployment: it may consume a ticket whose card the first one streams.
    await harness.start();
    http = request(harness.app.getHttpServer());
    bank = await seedSmallBank(harness, 3);
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
    const [c0] = bank.out1Customers;
    await harness.publishEvent(EventTypes.AccountOpened, c0, {
      ...EVENT_SAMPLES[EventTypes.AccountOpened],
      accountId: `TD-${c0}`,
      customerId: c0,
      institutionId: bank.OUT1,
    });
    await harness.publishEvent(EventTypes.CardIssued, c0, {
      ...EVENT_SAMPLES[EventTypes.CardIssued],
      cardId: `CARD-${c0}`,
      customerId: c0,
      institutionId: bank.OUT1,
    });
    await harness.publishEvent(EventTypes.CustomerProfileChanged, c0, {
      customerId: c0,
      businessDate: '2026-03-02',
      valueTier: 'important',
      lifecycleStage: 'declining',
      rfm: null,
      tags: [],
      churnScore: 64,
      churnReasons: ['aum-fall'],
      computedAt: '2026-03-02T23:40:00.000+08:00',
    });
    await harness.drained();
    campaignId = await runningLobbyCampaign('WM-12M', [c0, bank.out2Customers[0]]);
  }, 180_000);

  afterAll(async () => {
    await harness.destroy();
  });

  it('streams the card of a customer who takes a ticket to their outlet’s lobby manager and heads, not another outlet’s', async () => {
    const [c0] = bank.out1Customers;
    const out1 = await openStream(lobbyManager(bank.OUT1));
    const out2 = await openStream(lobbyManager(bank.OUT2));
    const branch = await openStream(head(bank.BR), serverPort(1));
    try {
      expect(out1.status()).toBe(200);
      const ticket = await issueTicket(bank.OUT1, c0);
      const card = await out1.cardOf(ticket.ticketId);
      expect(card).toEqual({
        ticketId: ticket.ticketId,
        institutionId: bank.OUT1,
        businessDate: calendar.today(),
        ticketNumber: ticket.ticketNumber,
        service: 'wealth',
        waitingAhead: 3,
        issuedAt: ticket.issuedAt,
        customerId: c0,
        holdings: { productCodes: ['CC-GOLD', 'TD-12M'], byKind: { card: 1, 'time-deposit': 1 } },
        profile: { asOf: '2026-03-02', valueTier: 'important', lifecycleStage: 'declining', churnScore: 64 },
        offers: [
          {
            campaignId,
            productCodes: ['WM-12M'],
            message: 'lobby wealth: ask about WM-12M',
            propensity: '0.0500',
            score: '6000.0000',
          },
        ],
        reason: null,
      });
      expect(await branch.cardOf(ticket.ticketId)).toEqual(card);

      // The other outlet's manager gets their own outlet's cards only.
      const elsewhere = await issueTicket(bank.OUT2, bank.out2Customers[0]);
      expect(await out2.cardOf(elsewhere.ticketId)).toMatchObject({ customerId: bank.out2Customers[0] });
      expect(out2.cards().map((c) => c.ticketId)).toEqual([elsewhere.ticketId]);
      expect(await branch.cardOf(elsewhere.ticketId)).toBeDefined();
    } finally {
      out1.close();
      out2.close();
      branch.close();
    }
  }, 60_000);

  it('refuses the stream and the queue to a relationship manager', async () => {
    const manager = bearer({ roles: [Role.RelationshipManager], inst: bank.OUT1, mgr: bank.M1 });
    const refused = await http.get('/api/v1/lobby/queue').set('authorization', manager).expect(403);
    expect(refused.body.code).toBe('AUTH_ROLE_FORBIDDEN');
    await http.get('/api/v1/lobby/stream').set('authorization', manager).expect(403);
  });

  it('lists the day’s tickets of the caller’s outlet, walk-ins too, newest first', async () => {
    const walkIn = await issueTicket(bank.OUT1, null, { service: 'cash', ticketNumber: 'A001' });
    const known = await issueTicket(bank.OUT1, bank.out1Customers[1], { service: 'loan' });
    await harness.drained();
    const queue = (
      await http.get('/api/v1/lobby/queue').set('authorization', lobbyManager(bank.OUT1)).expect(200)
    ).body as LobbyQueueDto;
    expect(queue.truncated).toBe(false);
    expect(queue.tickets.every((t) => t.institutionId === bank.OUT1)).toBe(true);
    expect(queue.tickets.slice(0, 2)).toEqual([
      expect.objectContaining({
        ticketId: known.ticketId,
        customerId: bank.out1Customers[1],
        holdings: { productCodes: [], byKind: {} },
        profile: null,
        offers: [],
        reason: 'no-campaign',
      }),
      expect.objectContaining({
        ticketId: walkIn.ticketId,
        customerId: null,
        holdings: null,
        profile: null,
        offers: [],
        reason: 'walk-in',
      }),
    ]);
    const other = (
      await http.get('/api/v1/lobby/queue').set('authorization', lobbyManager(bank.OUT2)).expect(200)
    ).body as LobbyQueueDto;
    expect(other.tickets.map((t) => t.institutionId)).not.toContain(bank.OUT1);
    const branch = (await http.get('/api/v1/lobby/queue').set('authorization', head(bank.BR)).expect(200))
      .body as LobbyQueueDto;
    expect(new Set(branch.tickets.map((t) => t.institutionId))).toEqual(new Set([bank.OUT1, bank.OUT2]));
  });

  it('lets a lobby manager present an offer to a customer queuing at their outlet, and to no one else', async () => {
    const [c0, , c2] = bank.out1Customers;
    await issueTicket(bank.OUT1, c0);
    await harness.drained();
    const decide = (token: string, customerId: string) =>
      http.post('/api/v1/offers/decide').set('authorization', token).send({ customerId, channel: 'lobby' });

    const presented = await decide(lobbyManager(bank.OUT1), c0).expect(200);
    expect(presented.body.offer).toMatchObject({ campaignId, productCodes: ['WM-12M'] });
    const ledger = await harness.query<{ channel: string; outcome: string }>(
      `SELECT channel, outcome FROM $schema.contact WHERE customer_id = $1`,
      [c0],
    );
    expect(ledger).toEqual([{ channel: 'lobby', outcome: 'sent' }]);
    await http
      .post(`/api/v1/offers/${presented.body.decisionId}/response`)
      .set('authorization', lobbyManager(bank.OUT1))
      .send({ response: 'accepted' })
      .expect(204);

    // Not queuing today, or queuing at another outlet: none of this lobby manager's business.
    expect((await decide(lobbyManager(bank.OUT1), c2).expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await decide(lobbyManager(bank.OUT2), c0).expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
    // A ticket taken on an earlier day does not count.
    await issueTicket(bank.OUT1, c2, { issuedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    await harness.drained();
    await decide(lobbyManager(bank.OUT1), c2).expect(404);
  });

  it('follows a lobby system whose clock runs ahead: its tickets make the outlet’s day', async () => {
    const outlet = `OUT9-${harness.suffix}`;
    const [customer] = bank.out2Customers;
    await issueTicket(outlet, customer);
    const ahead = calendar.at(addDays(calendar.today(), 2), 10, 15);
    const future = await issueTicket(outlet, customer, { issuedAt: new Date(ahead).toISOString() });
    await harness.drained();
    const queue = (
      await http.get('/api/v1/lobby/queue').set('authorization', lobbyManager(outlet)).expect(200)
    ).body as LobbyQueueDto;
    expect(queue.tickets.map((t) => [t.ticketId, t.businessDate])).toEqual([
      [future.ticketId, addDays(calendar.today(), 2)],
    ]);
    // The earlier day's ticket is no longer kept.
    const kept = await harness.query<{ ticket_id: string }>(
      `SELECT ticket_id FROM $schema.lobby_ticket WHERE institution_id = $1`,
      [outlet],
    );
    expect(kept.map((r) => r.ticket_id)).toEqual([future.ticketId]);
    await http
      .post('/api/v1/offers/decide')
      .set('authorization', lobbyManager(outlet))
      .send({ customerId: customer, channel: 'lobby' })
      .expect(200);
  });

  describe('when the lobby listener’s database connection is cut', () => {
    const listening = () => `LISTEN "${lobbyChannelOf(harness.schema)}"`;
    const listeners = async () =>
      (
        await harness.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query = $1`, [
          listening(),
        ])
      ).map((row) => row.pid);
    const cutListeners = async () => {
      const [{ cut }] = await harness.query<{ cut: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE query = $1`,
        [listening()],
      );
      return cut;
    };

    it('listens again and streams the next card to an open stream', async () => {
      const stream = await openStream(lobbyManager(bank.OUT1));
      try {
        const before = await listeners();
        expect(await cutListeners()).toBe(2);
        const after = await until(
          listeners,
          (pids) => pids.length === 2 && pids.every((pid) => !before.includes(pid)),
          10_000,
        );
        expect(after).toHaveLength(2);
        const ticket = await issueTicket(bank.OUT1, bank.out1Customers[0]);
        expect(await stream.cardOf(ticket.ticketId)).toMatchObject({ customerId: bank.out1Customers[0] });
      } finally {
        stream.close();
      }
    }, 45_000);

    it('streams a card whose ticket was recorded while it was away, once it is back', async () => {
      const stream = await openStream(lobbyManager(bank.OUT1));
      const ticketId = `Q-${harness.suffix}-away`;
      try {
        await harness.dataSource.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO "${harness.schema}".lobby_ticket (ticket_id, institution_id, customer_id, service,
               ticket_number, waiting_ahead, issued_at, business_date)
             VALUES ($1, $2, $3, 'account', 'A099', 0, now(), $4)`,
            [ticketId, bank.OUT1, bank.out1Customers[1], calendar.today()],
          );
          await tx.query(`SELECT pg_notify($1, $2)`, [
            lobbyChannelOf(harness.schema),
            JSON.stringify({ ticketId, institutionId: bank.OUT1 }),
          ]);
          // Committed right after the cut: before the listeners are back, so the notification is lost.
          expect(await cutListeners()).toBe(2);
        });
        expect(await stream.cardOf(ticketId)).toMatchObject({ customerId: bank.out1Customers[1] });
      } finally {
        stream.close();
      }
    }, 45_000);

    it('ignores a notification that is no ticket and goes on streaming', async () => {
      const stream = await openStream(lobbyManager(bank.OUT1));
      try {
        await harness.query(`SELECT pg_notify($1, 'not a ticket')`, [lobbyChannelOf(harness.schema)]);
        const ticket = await issueTicket(bank.OUT1, bank.out1Customers[0]);
        expect(await stream.cardOf(ticket.ticketId)).toBeDefined();
      } finally {
        stream.close();
      }
    }, 45_000);
  });

  it('documents the lobby routes in the Swagger console', async () => {
    const doc = (await http.get('/docs-json').expect(200)).body as { paths: Record<string, object> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/lobby/queue', '/api/v1/lobby/stream']),
    );
  });
});
