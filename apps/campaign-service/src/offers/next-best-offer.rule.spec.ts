import { ConsentChannel, MarketingChannel, PotentialTag } from '@crm/contracts';
import { HoldingKind, type CustomerFacts } from '../customers/customer-facts.repository';
import { DEFAULT_CONTACT_POLICY } from '../policy/contact-policy.rule';
import { OfferCandidate, rankOffers } from './next-best-offer.rule';

const now = Date.parse('2026-03-02T10:00:00+08:00');
const candidate = (
  campaignId: string,
  priority: number,
  value: string,
  products = ['TD-3Y'],
): OfferCandidate => ({
  campaignId,
  priority,
  productCodes: products,
  conversionValue: value,
  message: campaignId,
});
const facts = (over: Partial<CustomerFacts> = {}): CustomerFacts => ({
  customerId: 'C1',
  optedOut: new Set(),
  doNotContact: null,
  phoneHash: null,
  emailHash: null,
  heldProducts: new Set(),
  declinedAt: new Map(),
  tagScores: new Map(),
  productKinds: new Map(),
  ...over,
});

describe('rankOffers', () => {
  it('ranks by priority × propensity × value, not priority alone', () => {
    const { ranked } = rankOffers(
      [candidate('A', 50, '100.00'), candidate('B', 10, '1000.00'), candidate('C', 10, '100.00')],
      facts(),
      MarketingChannel.Lobby,
      DEFAULT_CONTACT_POLICY,
      now,
    );
    expect(ranked.map((o) => [o.campaignId, o.score])).toEqual([
      ['B', '500.0000'],
      ['A', '250.0000'],
      ['C', '50.0000'],
    ]);
  });

  it('uses the customer’s propensity for the products where the profile gives one', () => {
    const { ranked } = rankOffers(
      [candidate('DEPOSIT', 10, '1000.00', ['TD-3Y']), candidate('WEALTH', 10, '200.00', ['WM-90D'])],
      facts({
        tagScores: new Map([[PotentialTag.WealthManagement, 90]]),
        productKinds: new Map([
          ['TD-3Y', HoldingKind.TimeDeposit],
          ['WM-90D', HoldingKind.WealthProduct],
        ]),
      }),
      MarketingChannel.Lobby,
      DEFAULT_CONTACT_POLICY,
      now,
    );
    expect(ranked.map((o) => [o.campaignId, o.propensity, o.score])).toEqual([
      ['WEALTH', '0.9000', '1800.0000'],
      ['DEPOSIT', '0.0500', '500.0000'],
    ]);
  });

  it('leaves out what the customer holds or declined, and says why when nothing is left', () => {
    const customer = facts({
      heldProducts: new Set(['TD-3Y']),
      declinedAt: new Map([['WM-90D', now - 86_400_000]]),
    });
    const { ranked, firstExclusion } = rankOffers(
      [candidate('A', 50, '100.00'), candidate('B', 10, '100.00', ['WM-90D'])],
      customer,
      MarketingChannel.Lobby,
      DEFAULT_CONTACT_POLICY,
      now,
    );
    expect(ranked).toEqual([]);
    expect(firstExclusion).toBe('already-holds-product');
  });

  it('offers only the products not held yet', () => {
    const { ranked } = rankOffers(
      [candidate('A', 50, '100.00', ['TD-3Y', 'WM-90D'])],
      facts({ heldProducts: new Set(['TD-3Y']) }),
      MarketingChannel.Counter,
      DEFAULT_CONTACT_POLICY,
      now,
    );
    expect(ranked[0].offeredProducts).toEqual(['WM-90D']);
  });

  it('offers in the lobby to a customer opted out of SMS', () => {
    const { ranked } = rankOffers(
      [candidate('A', 50, '100.00')],
      facts({ optedOut: new Set([ConsentChannel.Sms]) }),
      MarketingChannel.Lobby,
      DEFAULT_CONTACT_POLICY,
      now,
    );
    expect(ranked).toHaveLength(1);
  });
});
