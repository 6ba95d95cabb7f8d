import { EvaluationDto, EvaluationRow } from './evaluation.dto';

const COLUMNS = [
  'campaign_id',
  'phase',
  'arm',
  'targeted',
  'contacted_customers',
  'contacts',
  'suppressed',
  'converted',
  'conversion_rate',
  'contacts_per_customer_mean',
  'contacts_per_customer_max',
  'all_campaigns_contacts_per_customer_mean',
  'all_campaigns_contacts_per_customer_max',
  'currency',
  'cost',
  'cost_per_conversion',
  'uplift',
  'uplift_ci_lower',
  'uplift_ci_upper',
  'cost_per_incremental_conversion',
] as const;

/**
 * The evaluation as CSV: a row for treatment, one for control and one for both together. Cost is what
 * the arm's contacts cost (control is never contacted); the comparison of the arms (uplift, its 95%
 * interval, cost per incremental conversion) is on the total row. Every field is a number, an id or a
 * fixed word, so none needs quoting. An empty field is a figure that does not exist (see the JSON).
 */
export function evaluationCsv(e: EvaluationDto): string {
  const ci = e.uplift.confidenceInterval;
  const lines = e.arms.map((a) => {
    const total = a.arm === EvaluationRow.Total;
    const row: Record<(typeof COLUMNS)[number], string | number | null> = {
      campaign_id: e.campaignId,
      phase: e.phase,
      arm: a.arm,
      targeted: a.targeted,
      contacted_customers: a.contactedCustomers,
      contacts: a.contacts,
      suppressed: a.suppressed,
      converted: a.converted,
      conversion_rate: a.conversionRate,
      contacts_per_customer_mean: a.contactsPerCustomer.mean,
      contacts_per_customer_max: a.contactsPerCustomer.max,
      all_campaigns_contacts_per_customer_mean: a.allCampaignsContactsPerCustomer.mean,
      all_campaigns_contacts_per_customer_max: a.allCampaignsContactsPerCustomer.max,
      currency: e.costs.currency,
      cost: a.arm === EvaluationRow.Control ? '0.00' : e.costs.total,
      cost_per_conversion: a.arm === EvaluationRow.Treatment ? e.costs.perConversion : null,
      uplift: total ? e.uplift.absolute : null,
      uplift_ci_lower: total && ci ? ci.lower : null,
      uplift_ci_upper: total && ci ? ci.upper : null,
      cost_per_incremental_conversion: total ? e.costs.perIncrementalConversion : null,
    };
    return COLUMNS.map((c) => row[c] ?? '').join(',');
  });
  return [COLUMNS.join(','), ...lines, ''].join('\r\n');
}
