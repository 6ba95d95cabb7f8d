import { EventTypes, type AccountOpenedPayload } from '@crm/contracts';
import { SCENARIOS, buildScenario } from '../scenarios/scenario.registry';
import { populationEvents } from '../stream/bank-simulation';
import { PRODUCT_CATALOGUE, ProductFamily } from './product-catalogue';

const FAMILY_OF_EVENT: Partial<Record<string, ProductFamily>> = {
  [EventTypes.AccountOpened]: ProductFamily.Deposit,
  [EventTypes.LoanDisbursed]: ProductFamily.Loan,
  [EventTypes.CardIssued]: ProductFamily.Card,
};

describe('the product catalogue', () => {
  it('lists every product the population and the scenarios open, under the event that opens it', () => {
    const start = Date.parse('2025-03-01T09:00:00+08:00');
    const opened = [
      ...populationEvents({ seed: 42, customers: 2000, start }).initialLoad,
      ...SCENARIOS.flatMap((s) => buildScenario(s.name, { seed: 42, start }).events),
    ].filter((e) => FAMILY_OF_EVENT[e.type]);
    const seen = new Set<string>();
    for (const event of opened) {
      const { productCode, productName } = event.data as { productCode: string; productName: string };
      const product = PRODUCT_CATALOGUE.get(productCode);
      expect({ productCode, family: product?.family, name: product?.name }).toEqual({
        productCode,
        family: FAMILY_OF_EVENT[event.type],
        name: productName,
      });
      if (event.type === EventTypes.AccountOpened && product?.family === ProductFamily.Deposit)
        expect(product.kind).toBe((event.data as AccountOpenedPayload).kind);
      seen.add(productCode);
    }
    expect([...seen].sort()).toEqual([...PRODUCT_CATALOGUE.keys()].sort());
  });
});
