import { CustomerKind } from '@crm/contracts';
import { buildOrganisation } from '../population/organisation.generator';
import { PRODUCT_CATALOGUE } from '../population/product-catalogue';
import type { ScenarioRun, ScenarioSegment } from '../scenarios/scenario.types';
import { ContactResponder } from './contact-response';
import { ProductOpener } from './product-opening';
import { SpontaneousOpenings } from './spontaneous-openings';

export interface UpliftSettings {
  /** The product a campaign offers the segment, and the one the segment opens of its own accord. */
  productCode: string;
  /** Probability each customer of the segment opens the product of their own accord within the window. */
  base: number;
  /** Probability a contacted customer of the segment opens it because of the contact. */
  lift: number;
  windowMs: number;
  /** A contacted customer who converts does so within this after the contact's dueAt. */
  responseWithinMs: number;
}

export const DEFAULT_UPLIFT: UpliftSettings = {
  productCode: 'TD-12M',
  base: 0.2,
  lift: 0.3,
  windowMs: 10 * 60_000,
  responseWithinMs: 60_000,
};

/**
 * The conversion a campaign's evaluation should find. Control customers are never contacted: they open
 * at the base rate. A treatment customer opens of their own accord or, failing that, because of the
 * contact, each independently: base + (1 - base) × lift.
 */
export function expectedConversion({ base, lift }: Pick<UpliftSettings, 'base' | 'lift'>): {
  control: number;
  treatment: number;
  uplift: number;
} {
  const treatment = base + (1 - base) * lift;
  return { control: base, treatment, uplift: treatment - base };
}

/** Why a product cannot be the scenario's, or undefined when it can (the segment is individuals). */
export function upliftProductProblem(productCode: string): string | undefined {
  const product = PRODUCT_CATALOGUE.get(productCode);
  if (!product)
    return `${productCode} is not in the product catalogue (${[...PRODUCT_CATALOGUE.keys()].join(', ')})`;
  if (product.holder !== CustomerKind.Individual) return `${productCode} is for corporate customers`;
  return undefined;
}

function segmentOf(run: ScenarioRun): ScenarioSegment {
  if (!run.segment) throw new RangeError(`scenario ${run.name} sets up no campaign segment`);
  return run.segment;
}

/** How the segment of a campaign-uplift run answers contact requests, and opens of its own accord. */
export function upliftResponder(run: ScenarioRun, seed: number, settings: UpliftSettings): ContactResponder {
  const problem = upliftProductProblem(settings.productCode);
  if (problem) throw new RangeError(problem);
  const opener = new ProductOpener(buildOrganisation(seed), seed);
  const { members } = segmentOf(run);
  return new ContactResponder({
    seed,
    directory: new Map(members.map((m) => [m.customer.profile.customerId, m])),
    settings: { probability: settings.lift, withinMs: settings.responseWithinMs },
    opener,
    spontaneous: new SpontaneousOpenings({
      seed,
      segment: members,
      product: PRODUCT_CATALOGUE.get(settings.productCode)!,
      base: settings.base,
      windowMs: settings.windowMs,
      opener,
      correlationId: run.correlationId,
    }),
  });
}

const percent = (p: number) => `${(p * 100).toFixed(1)} %`;

/** What the run sets up and what a campaign's evaluation should find, for the console. */
export function describeUplift(run: ScenarioRun, settings: UpliftSettings, contactTopic: string): string {
  const { outlet, manager, members } = segmentOf(run);
  const product = PRODUCT_CATALOGUE.get(settings.productCode);
  const expected = expectedConversion(settings);
  const seconds = (ms: number) => `${ms / 1000} s`;
  return [
    `${run.name} (correlation id ${run.correlationId})`,
    `  segment: the ${members.length} customers this run registers at outlet ${outlet.institutionId} ${outlet.name}` +
      ` (manager ${manager.managerId}), ${run.startsAt} .. ${run.endsAt}, each with a current account` +
      ' (all the outlet has, unless the live population publishes to the same topics)',
    `  product: ${settings.productCode}${product ? ` ${product.name}` : ''}`,
    `  contact requests: read from ${contactTopic}; the window opens at the dueAt of the first one for a segment customer`,
    `  base: every segment customer opens ${settings.productCode} of their own accord with probability ` +
      `${settings.base} at a random moment within ${seconds(settings.windowMs)} after the window opens`,
    `  lift: a contacted segment customer opens the product offered (first product code) with probability ` +
      `${settings.lift} within ${seconds(settings.responseWithinMs)} after the contact's dueAt ` +
      '(once per campaign, customer and product)',
    `  expected conversion to ${settings.productCode}: control ${percent(expected.control)}, treatment ` +
      `${percent(expected.treatment)} (= ${settings.base} + (1 - ${settings.base}) × ${settings.lift}), ` +
      `uplift ${percent(expected.uplift)}`,
    '  (for a campaign offering the product that contacts its treatment group early in the window and ' +
      'counts openings within the window)',
  ].join('\n');
}
