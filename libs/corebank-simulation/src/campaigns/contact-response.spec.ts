import {
  AccountKind,
  CustomerKind,
  EventTypes,
  MarketingChannel,
  describeProblems,
  validateEventPayload,
  type AccountOpenedPayload,
  type CardIssuedPayload,
  type ContactRequestedPayload,
  type LoanDisbursedPayload,
} from '@crm/contracts';
import { cstDateOf } from '../core/calendar';
import { buildOrganisation } from '../population/organisation.generator';
import { generatePopulation } from '../population/population.generator';
import { PRODUCT_CATALOGUE, ProductFamily } from '../population/product-catalogue';
import { ContactOutcome, ContactResponder, type ResponseSettings } from './contact-response';
import { directoryOf } from './known-customer';
import { ProductOpener } from './product-opening';

const SEED = 42;
const DUE_AT = '2025-03-03T10:00:00.000+08:00';
const bank = generatePopulation({ seed: SEED, customers: 200, asOf: '2025-03-03' });
const directory = directoryOf(bank);
const opener = new ProductOpener(buildOrganisation(SEED), SEED);
const individuals = bank.customers.filter((c) => c.profile.kind === CustomerKind.Individual);
const corporate = bank.customers.find((c) => c.profile.kind === CustomerKind.Corporate)!;

const responder = (settings: Partial<ResponseSettings> = {}) =>
  new ContactResponder({
    seed: SEED,
    directory,
    settings: { probability: 1, withinMs: 60_000, ...settings },
    opener,
  });

let contactSequence = 0;
const contact = (overrides: Partial<ContactRequestedPayload> = {}): ContactRequestedPayload => ({
  contactId: `contact-${++contactSequence}`,
  campaignId: 'CMP-1',
  customerId: individuals[0].profile.customerId,
  channel: MarketingChannel.Sms,
  productCodes: ['TD-12M'],
  message: '三年期定期存款限时优惠',
  institutionId: individuals[0].profile.homeInstitutionId,
  managerId: null,
  dueAt: DUE_AT,
  ...overrides,
});

describe('a customer answering a contact request', () => {
  it('opens the first product offered within the delay after dueAt, as core banking reports it', () => {
    const request = contact({ productCodes: ['TD-12M', 'CC-GOLD'] });
    const { outcome, due, line } = responder().respond(request);
    expect(outcome).toBe(ContactOutcome.Opens);
    expect(due).toHaveLength(1);
    const [{ at, event }] = due;
    expect(at).toBeGreaterThanOrEqual(Date.parse(DUE_AT));
    expect(at).toBeLessThan(Date.parse(DUE_AT) + 60_000);
    expect(Date.parse(event.time)).toBe(at);
    expect(event.type).toBe(EventTypes.AccountOpened);
    expect(event.subject).toBe(request.customerId);
    const opened = event.data as AccountOpenedPayload;
    expect(opened).toMatchObject({
      customerId: request.customerId,
      productCode: 'TD-12M',
      kind: AccountKind.TimeDeposit,
      openedOn: cstDateOf(at),
      maturityDate: '2026-03-03',
    });
    expect(line).toContain(`customer ${request.customerId} opens TD-12M`);
  });

  it('opens nothing at probability 0', () => {
    const { outcome, due } = responder({ probability: 0 }).respond(contact());
    expect(outcome).toBe(ContactOutcome.Declines);
    expect(due).toEqual([]);
  });

  it('converts at most once per contactId, and once per campaign, customer and product', () => {
    const answering = responder();
    const request = contact();
    expect(answering.respond(request).due).toHaveLength(1);
    expect(answering.respond(request)).toMatchObject({ outcome: ContactOutcome.DuplicateContact, due: [] });
    // The same campaign calling about the same product after its SMS.
    const call = contact({ channel: MarketingChannel.PhoneCall, managerId: 'E100001' });
    expect(answering.respond(call)).toMatchObject({ outcome: ContactOutcome.AlreadyAnswered, due: [] });
    // Another campaign, or another product, is another question.
    expect(answering.respond(contact({ campaignId: 'CMP-2' })).outcome).toBe(ContactOutcome.Opens);
    expect(answering.respond(contact({ productCodes: ['SA-PLUS'] })).outcome).toBe(ContactOutcome.Opens);
    expect(answering.counts.get(ContactOutcome.Opens)).toBe(3);
  });

  it('answers the same way after a restart: same decision, same time, same account and event id', () => {
    const request = contact({ campaignId: 'CMP-restart' });
    const first = responder({ probability: 0.5 }).respond(request);
    const again = responder({ probability: 0.5 }).respond(request);
    expect(again).toEqual(first);
  });

  it('opens at the stated probability, spread over the stated delay', () => {
    const answering = responder({ probability: 0.3, withinMs: 120_000 });
    const responses = individuals.flatMap((customer) =>
      Array.from({ length: 12 }, (_, campaign) =>
        answering.respond(
          contact({ customerId: customer.profile.customerId, campaignId: `CMP-rate-${campaign}` }),
        ),
      ),
    );
    const opened = responses.filter((r) => r.outcome === ContactOutcome.Opens);
    // About 2,100 answers: three standard deviations are under 0.03.
    expect(opened.length / responses.length).toBeGreaterThan(0.27);
    expect(opened.length / responses.length).toBeLessThan(0.33);
    const delays = opened.map((r) => r.due[0].at - Date.parse(DUE_AT));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(120_000);
    const mean = delays.reduce((sum, d) => sum + d, 0) / delays.length;
    expect(mean).toBeGreaterThan(50_000);
    expect(mean).toBeLessThan(70_000);
  });

  it.each([
    ['a customer it does not know', { customerId: 'C999999999999' }, ContactOutcome.UnknownCustomer],
    ['a product the bank does not sell', { productCodes: ['TD-3Y'] }, ContactOutcome.UnknownProduct],
    ['no product at all', { productCodes: [] }, ContactOutcome.UnknownProduct],
    [
      'a card offered to a company',
      { customerId: corporate.profile.customerId, productCodes: ['CC-STD'] },
      ContactOutcome.NotForCustomer,
    ],
  ])('skips a contact about %s with a log line', (_about, overrides, outcome) => {
    const { outcome: actual, due, line } = responder().respond(contact(overrides));
    expect(actual).toBe(outcome);
    expect(due).toEqual([]);
    expect(line).toMatch(/skipped$/);
  });

  it('opens every product of the catalogue with the event of its family, valid against its contract', () => {
    const answering = responder();
    const opens = new Map<string, string>([
      [ProductFamily.Deposit, EventTypes.AccountOpened],
      [ProductFamily.Loan, EventTypes.LoanDisbursed],
      [ProductFamily.Card, EventTypes.CardIssued],
    ]);
    for (const product of PRODUCT_CATALOGUE.values()) {
      const customer = product.holder === CustomerKind.Individual ? individuals[1] : corporate;
      const { due } = answering.respond(
        contact({ customerId: customer.profile.customerId, productCodes: [product.code] }),
      );
      const [{ at, event }] = due;
      expect(event.type).toBe(opens.get(product.family));
      const result = validateEventPayload(event.type, event.data);
      expect(result.ok ? '' : describeProblems(result.problems)).toBe('');
      const data = event.data as AccountOpenedPayload | LoanDisbursedPayload | CardIssuedPayload;
      expect(data.productCode).toBe(product.code);
      const openedOn =
        'openedOn' in data ? data.openedOn : 'disbursedOn' in data ? data.disbursedOn : data.issuedOn;
      expect(openedOn).toBe(cstDateOf(at));
    }
  });
});
