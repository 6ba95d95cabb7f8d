import { campaignUpliftScenario } from './campaign-uplift.scenario';
import { cardLargeSpendThenOverdueScenario } from './card-large-spend-then-overdue.scenario';
import { churnDrainScenario } from './churn-drain.scenario';
import { depositAccountClosureScenario } from './deposit-account-closure.scenario';
import { idleDepositsScenario } from './idle-deposits.scenario';
import { inflowAtThresholdScenario } from './inflow-at-threshold.scenario';
import { largeInflowScenario } from './large-inflow.scenario';
import { loanMaturingScenario } from './loan-maturing.scenario';
import { loanOverdueAndDowngradeScenario } from './loan-overdue-and-downgrade.scenario';
import { timeDepositMaturingScenario, wealthProductMaturingScenario } from './maturing-products.scenario';
import { mobileActivationScenario } from './mobile-activation.scenario';
import { moneyDrainingScenario } from './money-draining.scenario';
import { splitLargeInflowScenario } from './split-large-inflow.scenario';
import { quietUnderThresholdsScenario } from './quiet-under-thresholds.scenario';
import type { ScenarioDefinition, ScenarioRun } from './scenario.types';
import { tellScenario } from './story';

/** Stories that must raise known alerts. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  largeInflowScenario,
  splitLargeInflowScenario,
  inflowAtThresholdScenario,
  moneyDrainingScenario,
  loanOverdueAndDowngradeScenario,
  loanMaturingScenario,
  timeDepositMaturingScenario,
  wealthProductMaturingScenario,
  cardLargeSpendThenOverdueScenario,
  depositAccountClosureScenario,
  quietUnderThresholdsScenario,
];

/** Stories that set up customers for a campaign and tell how they answer it (with a segment). */
export const CAMPAIGN_SCENARIOS: readonly ScenarioDefinition[] = [campaignUpliftScenario];

/**
 * Stories of customer histories for the analytical CRM: months of everyday banking before a close of
 * business, with what it must find (ScenarioRun.analytics). Their alerts are declared like any story's.
 */
export const ANALYTICS_SCENARIOS: readonly ScenarioDefinition[] = [
  churnDrainScenario,
  idleDepositsScenario,
  mobileActivationScenario,
];

const ALL_SCENARIOS = [...SCENARIOS, ...ANALYTICS_SCENARIOS, ...CAMPAIGN_SCENARIOS];

export const scenarioNames = (): string[] => ALL_SCENARIOS.map((s) => s.name);

export const scenarioNamed = (name: string): ScenarioDefinition | undefined =>
  ALL_SCENARIOS.find((s) => s.name === name);

/** A scenario's events and expected alerts for a seed and start (epoch ms); throws on an unknown name. */
export function buildScenario(name: string, options: { seed: number; start: number }): ScenarioRun {
  const definition = scenarioNamed(name);
  if (!definition) throw new RangeError(`unknown scenario ${name}; known: ${scenarioNames().join(', ')}`);
  return tellScenario(definition, options.seed, options.start);
}
