import { PotentialTag } from '@crm/contracts';
import { HoldingKind } from '../customers/customer-facts.repository';
import { DEFAULT_PROPENSITY, PropensityFacts, TAG_FOR_PRODUCT_KIND, propensityOf } from './propensity.rule';

const catalogue = new Map<string, HoldingKind>([
  ['WM-90D', HoldingKind.WealthProduct],
  ['WM-180D', HoldingKind.WealthProduct],
  ['LN-CONSUMER', HoldingKind.Loan],
  ['CARD-GOLD', HoldingKind.Card],
  ['TD-3Y', HoldingKind.TimeDeposit],
  ['SV-01', HoldingKind.Savings],
]);
const facts = (scores: [PotentialTag, number][], held: string[] = []): PropensityFacts => ({
  heldProducts: new Set(held),
  tagScores: new Map(scores),
  productKinds: catalogue,
});
const propensity = (products: string[], f: PropensityFacts | undefined) =>
  propensityOf(products, f).toFixed(4);

describe('propensityOf', () => {
  it('maps wealth products, loans and credit cards to their potential tag, score / 100', () => {
    const customer = facts([
      [PotentialTag.WealthManagement, 88],
      [PotentialTag.Loan, 40],
      [PotentialTag.CreditCard, 7],
    ]);
    expect(propensity(['WM-90D'], customer)).toBe('0.8800');
    expect(propensity(['LN-CONSUMER'], customer)).toBe('0.4000');
    expect(propensity(['CARD-GOLD'], customer)).toBe('0.0700');
    expect(TAG_FOR_PRODUCT_KIND).toEqual({
      'wealth-product': 'wealth-management',
      loan: 'loan',
      card: 'credit-card',
    });
  });

  it('takes the best chance among the products offered', () => {
    const customer = facts([
      [PotentialTag.WealthManagement, 30],
      [PotentialTag.Loan, 65],
    ]);
    expect(propensity(['WM-90D', 'LN-CONSUMER', 'TD-3Y'], customer)).toBe('0.6500');
  });

  it('counts only the products not held yet', () => {
    const customer = facts(
      [
        [PotentialTag.WealthManagement, 30],
        [PotentialTag.Loan, 65],
      ],
      ['LN-CONSUMER'],
    );
    expect(propensity(['WM-90D', 'LN-CONSUMER'], customer)).toBe('0.3000');
  });

  it('says a low score as it is: no potential is a low chance, not the default', () => {
    expect(propensity(['WM-90D'], facts([[PotentialTag.WealthManagement, 0]]))).toBe('0.0000');
  });

  it.each([
    ['no facts at all', ['WM-90D'], undefined],
    ['no profile (no tag scores)', ['WM-90D'], facts([])],
    ['a profile without the product’s tag', ['WM-90D'], facts([[PotentialTag.Loan, 90]])],
    [
      'deposit products, which no tag measures',
      ['TD-3Y', 'SV-01'],
      facts([[PotentialTag.WealthManagement, 90]]),
    ],
    ['a product whose kind is not known yet', ['WM-NEW'], facts([[PotentialTag.WealthManagement, 90]])],
    ['tags that measure no product', ['WM-90D'], facts([[PotentialTag.MobileActivation, 95]])],
  ])('falls back to the stated default with %s', (_what, products, f) => {
    expect(propensity(products, f)).toBe(DEFAULT_PROPENSITY.toFixed(4));
    expect(DEFAULT_PROPENSITY.toFixed(2)).toBe('0.05');
  });
});
