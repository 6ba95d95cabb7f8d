import { Prng } from '../core/prng';
import type { Product } from '../population/product-catalogue';
import type { DueEvent } from './due-event';
import type { KnownCustomer } from './known-customer';
import type { ProductOpener } from './product-opening';

export interface SpontaneousOpeningsOptions {
  seed: number;
  segment: readonly KnownCustomer[];
  product: Product;
  /** Probability each customer of the segment opens the product within the window, contacted or not. */
  base: number;
  windowMs: number;
  opener: ProductOpener;
  correlationId?: string;
}

/**
 * Customers of a segment opening a product of their own accord, as some always do whether a campaign
 * reaches them or not: what a control group's conversion measures.
 */
export class SpontaneousOpenings {
  constructor(private readonly options: SpontaneousOpeningsOptions) {}

  /**
   * The openings of a window starting at `opensAt`: each customer with probability `base`, at a uniform
   * moment of the window. Who opens and when within the window depend on the seed only.
   */
  within(opensAt: number): DueEvent[] {
    const { seed, segment, product, base, windowMs, opener, correlationId } = this.options;
    const due: DueEvent[] = [];
    for (const known of segment) {
      const customerId = known.customer.profile.customerId;
      const prng = new Prng(seed, 'spontaneous-opening', customerId, product.code);
      if (!prng.chance(base)) continue;
      const at = opensAt + Math.floor(prng.next() * windowMs);
      const label = `spontaneous|${customerId}|${product.code}`;
      due.push({ at, event: opener.open(known, product, at, label, correlationId) });
    }
    return due.sort((a, b) => a.at - b.at);
  }
}
