import type { ContactRequestedPayload } from '@crm/contracts';
import { toTimestamp } from '../core/calendar';
import { Prng } from '../core/prng';
import { PRODUCT_CATALOGUE } from '../population/product-catalogue';
import type { DueEvent } from './due-event';
import type { CustomerDirectory } from './known-customer';
import type { ProductOpener } from './product-opening';
import type { SpontaneousOpenings } from './spontaneous-openings';

export interface ResponseSettings {
  /** Probability that a contacted customer opens the product offered. */
  probability: number;
  /** The customer opens it at a uniformly random moment within this many ms after the contact's dueAt. */
  withinMs: number;
}

/** How the live population answers campaigns: one contacted customer in twenty, within a minute. */
export const DEFAULT_LIVE_RESPONSE: ResponseSettings = { probability: 0.05, withinMs: 60_000 };

/** What became of a contact request. */
export const ContactOutcome = {
  Opens: 'opens',
  Declines: 'declines',
  /** The same contactId again: handled once. */
  DuplicateContact: 'duplicate-contact',
  /** Another contact of the same campaign offering the same product: the customer answered already. */
  AlreadyAnswered: 'already-answered',
  UnknownCustomer: 'unknown-customer',
  UnknownProduct: 'unknown-product',
  /** A product the customer's kind cannot hold (a company offered a mortgage). */
  NotForCustomer: 'not-for-customer',
} as const;
export type ContactOutcome = (typeof ContactOutcome)[keyof typeof ContactOutcome];

export interface ContactResponse {
  outcome: ContactOutcome;
  /** One line for the log. */
  line: string;
  /** What to publish and when. */
  due: DueEvent[];
}

export interface ContactResponderOptions {
  seed: number;
  /** The customers this simulator knows: contacts for anyone else are skipped. */
  directory: CustomerDirectory;
  settings: ResponseSettings;
  opener: ProductOpener;
  /** A segment's own openings, whose window opens at the dueAt of the first contact for one of them. */
  spontaneous?: SpontaneousOpenings;
}

/**
 * How customers answer campaign-service's contact requests: a contacted customer the simulator knows
 * opens the first product offered with the stated probability, within the stated delay after the
 * contact's dueAt. The answer depends on the seed, the campaign, the customer and the product only, so a
 * campaign that contacts a customer twice about one product (an SMS, then a manager's call) converts
 * them at most once, and a replayed contact converts no one twice.
 */
export class ContactResponder {
  private readonly contacts = new Set<string>();
  private readonly answered = new Set<string>();
  private windowOpened = false;
  readonly counts = new Map<ContactOutcome, number>();

  constructor(private readonly options: ContactResponderOptions) {}

  respond(contact: ContactRequestedPayload, correlationId?: string): ContactResponse {
    const response = this.answer(contact, correlationId);
    this.counts.set(response.outcome, (this.counts.get(response.outcome) ?? 0) + 1);
    return response;
  }

  private answer(contact: ContactRequestedPayload, correlationId?: string): ContactResponse {
    const { seed, directory, settings, opener, spontaneous } = this.options;
    const about = `contact ${contact.contactId} (campaign ${contact.campaignId}, ${contact.channel})`;
    const due: DueEvent[] = [];
    const reply = (outcome: ContactOutcome, line: string): ContactResponse => ({ outcome, line, due });
    if (this.contacts.has(contact.contactId))
      return reply(ContactOutcome.DuplicateContact, `${about}: handled already, skipped`);
    this.contacts.add(contact.contactId);

    const known = directory.get(contact.customerId);
    if (!known)
      return reply(
        ContactOutcome.UnknownCustomer,
        `${about}: customer ${contact.customerId} is not one of this simulator's, skipped`,
      );
    if (spontaneous && !this.windowOpened) {
      this.windowOpened = true;
      due.push(...spontaneous.within(Date.parse(contact.dueAt)));
    }

    const productCode = contact.productCodes[0];
    const product = productCode === undefined ? undefined : PRODUCT_CATALOGUE.get(productCode);
    if (!product)
      return reply(
        ContactOutcome.UnknownProduct,
        `${about}: offers ${productCode ?? 'no product'}, which the bank does not sell, skipped`,
      );
    const customer = known.customer.profile;
    if (product.holder !== customer.kind)
      return reply(
        ContactOutcome.NotForCustomer,
        `${about}: ${product.code} is for ${product.holder} customers, ${customer.customerId} is ${customer.kind}, skipped`,
      );
    const answer = `${contact.campaignId}|${customer.customerId}|${product.code}`;
    if (this.answered.has(answer))
      return reply(
        ContactOutcome.AlreadyAnswered,
        `${about}: customer ${customer.customerId} answered the campaign's offer of ${product.code} already`,
      );
    this.answered.add(answer);

    const prng = new Prng(seed, 'campaign-response', answer);
    if (!prng.chance(settings.probability))
      return reply(
        ContactOutcome.Declines,
        `${about}: customer ${customer.customerId} declines ${product.code}`,
      );
    const at = Date.parse(contact.dueAt) + Math.floor(prng.next() * settings.withinMs);
    const event = opener.open(known, product, at, `campaign-response|${answer}`, correlationId);
    due.push({ at, event });
    return reply(
      ContactOutcome.Opens,
      `${about}: customer ${customer.customerId} opens ${product.code} at ${toTimestamp(at)}`,
    );
  }
}
