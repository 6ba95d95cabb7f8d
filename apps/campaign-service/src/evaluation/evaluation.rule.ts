import Decimal from 'decimal.js';
import { MarketingChannel } from '@crm/contracts';
import { CampaignStatus } from '../campaigns/campaign-lifecycle.rule';
import { OfferResponse } from '../offers/offer.dto';
import { TaskOutcome } from '../tasks/task.dto';

/** The two-sided 95% quantile of the standard normal distribution. */
export const Z_95 = 1.959963984540054;

/**
 * The normal approximation is taken as good enough when each arm has at least this many conversions and
 * this many non-conversions (the usual rule of thumb, n·p ≥ 5 and n·(1 − p) ≥ 5).
 */
export const MIN_EVENTS_FOR_NORMAL = 5;

/**
 * What a customer said to a campaign's offer: a manager's call or visit that reached them, a lobby,
 * counter or app offer they answered. Unreachable and ignored are no answer.
 */
export const CUSTOMER_ANSWERS: readonly string[] = [
  TaskOutcome.Interested,
  TaskOutcome.Declined,
  TaskOutcome.Converted,
  OfferResponse.Accepted,
  OfferResponse.Declined,
];

/**
 * How far the figures may still move. Live: the campaign may still contact customers. Attributing: it
 * ended, but a product opened within the attribution window may still count as a conversion. Final:
 * the window has closed and the figures will not change.
 */
export const EvaluationPhase = { Live: 'live', Attributing: 'attributing', Final: 'final' } as const;
export type EvaluationPhase = (typeof EvaluationPhase)[keyof typeof EvaluationPhase];

const ENDED: ReadonlySet<CampaignStatus> = new Set([CampaignStatus.Completed, CampaignStatus.Cancelled]);

export function evaluationPhase(
  status: CampaignStatus,
  attributionEndsAt: Date,
  now: number,
): EvaluationPhase {
  if (!ENDED.has(status)) return EvaluationPhase.Live;
  return now < attributionEndsAt.getTime() ? EvaluationPhase.Attributing : EvaluationPhase.Final;
}

/** One arm of the campaign: everyone assigned to it, and how many of them converted. */
export interface ArmCounts {
  targeted: number;
  converted: number;
}

/** Conversions per targeted customer; null for an arm with no one in it. */
export const conversionRate = (arm: ArmCounts): number | null =>
  arm.targeted === 0 ? null : arm.converted / arm.targeted;

/**
 * Why the uplift has no interval, or why its interval deserves caution.
 * - `arm-empty`: treatment or control has no targets: there is nothing to compare.
 * - `no-variance`: every customer of each arm did the same (0% or 100%): the Wald standard error is 0
 *   and its interval would be a single point, which would claim a certainty the data do not have.
 * - `few-events`: an arm has fewer than MIN_EVENTS_FOR_NORMAL conversions or non-conversions: the
 *   interval is given, but the normal approximation behind it is rough.
 */
export const UpliftCaveat = {
  ArmEmpty: 'arm-empty',
  NoVariance: 'no-variance',
  FewEvents: 'few-events',
} as const;
export type UpliftCaveat = (typeof UpliftCaveat)[keyof typeof UpliftCaveat];

export interface ConfidenceInterval {
  level: 0.95;
  lower: number;
  upper: number;
  method: 'wald';
}

export interface Uplift {
  /** p_t − p_c, in rate units (0.05 is five percentage points). */
  absolute: number | null;
  /** (p_t − p_c) / p_c; null when control converted no one. */
  relative: number | null;
  confidenceInterval: ConfidenceInterval | null;
  /** Whether the interval excludes zero; null without an interval. */
  significant: boolean | null;
  caveat: UpliftCaveat | null;
}

/**
 * The absolute uplift of treatment over control, p_t − p_c, conversion rates over everyone assigned to
 * each arm (intention to treat: a treatment customer the policy never let the campaign reach still
 * counts), with its 95% confidence interval by the normal approximation for a difference of two
 * independent proportions (Wald): p_t − p_c ± z·√(p_t(1 − p_t)/n_t + p_c(1 − p_c)/n_c), cut to
 * [−1, 1], the range a difference of two rates can take.
 */
export function upliftOf(treatment: ArmCounts, control: ArmCounts): Uplift {
  const pt = conversionRate(treatment);
  const pc = conversionRate(control);
  if (pt === null || pc === null)
    return {
      absolute: null,
      relative: null,
      confidenceInterval: null,
      significant: null,
      caveat: UpliftCaveat.ArmEmpty,
    };
  const absolute = pt - pc;
  const relative = pc === 0 ? null : absolute / pc;
  const standardError = Math.sqrt((pt * (1 - pt)) / treatment.targeted + (pc * (1 - pc)) / control.targeted);
  if (standardError === 0)
    return {
      absolute,
      relative,
      confidenceInterval: null,
      significant: null,
      caveat: UpliftCaveat.NoVariance,
    };
  const lower = Math.max(-1, absolute - Z_95 * standardError);
  const upper = Math.min(1, absolute + Z_95 * standardError);
  return {
    absolute,
    relative,
    confidenceInterval: { level: 0.95, lower, upper, method: 'wald' },
    significant: lower > 0 || upper < 0,
    caveat: [treatment, control].some(hasFewEvents) ? UpliftCaveat.FewEvents : null,
  };
}

const hasFewEvents = (arm: ArmCounts): boolean =>
  Math.min(arm.converted, arm.targeted - arm.converted) < MIN_EVENTS_FOR_NORMAL;

export interface ChannelContacts {
  channel: MarketingChannel;
  contacts: number;
}

export interface CampaignCosts {
  /** Per channel: contacts made times the campaign's cost of one contact there. */
  byChannel: { channel: MarketingChannel; contacts: number; costPerContact: string; cost: string }[];
  total: string;
  /** Total cost over treatment's conversions (those that followed a contact); null without one. */
  perConversion: string | null;
  /**
   * Conversions the campaign caused: treatment's conversions less those control's rate predicts for an
   * arm of treatment's size, c_t − c_c·n_t/n_c. Null when an arm is empty.
   */
  incrementalConversions: string | null;
  /** Total cost over the incremental conversions; null when there are none (or fewer than none). */
  perIncrementalConversion: string | null;
  /** Incremental conversions times the value of one conversion; negative when treatment did worse. */
  incrementalValue: string | null;
}

/**
 * What the campaign cost and what it bought, in decimal arithmetic, amounts to the cent (half up). A
 * channel the campaign gave no cost for costs nothing.
 */
export function costsOf(input: {
  contactsByChannel: readonly ChannelContacts[];
  costPerContact: Partial<Record<MarketingChannel, string>>;
  conversionValue: string;
  treatment: ArmCounts;
  control: ArmCounts;
}): CampaignCosts {
  const byChannel = input.contactsByChannel.map(({ channel, contacts }) => {
    const costPerContact = new Decimal(input.costPerContact[channel] ?? 0);
    return { channel, contacts, costPerContact, cost: costPerContact.times(contacts) };
  });
  const total = byChannel.reduce((sum, c) => sum.plus(c.cost), new Decimal(0));
  const { treatment, control } = input;
  const incremental =
    treatment.targeted === 0 || control.targeted === 0
      ? null
      : new Decimal(treatment.converted).minus(
          new Decimal(control.converted).times(treatment.targeted).dividedBy(control.targeted),
        );
  return {
    byChannel: byChannel.map((c) => ({
      channel: c.channel,
      contacts: c.contacts,
      costPerContact: money(c.costPerContact),
      cost: money(c.cost),
    })),
    total: money(total),
    perConversion: treatment.converted > 0 ? money(total.dividedBy(treatment.converted)) : null,
    incrementalConversions: incremental?.toFixed(2) ?? null,
    perIncrementalConversion: incremental?.greaterThan(0) ? money(total.dividedBy(incremental)) : null,
    incrementalValue: incremental ? money(incremental.times(input.conversionValue)) : null,
  };
}

const money = (amount: Decimal): string => amount.toFixed(2, Decimal.ROUND_HALF_UP);
