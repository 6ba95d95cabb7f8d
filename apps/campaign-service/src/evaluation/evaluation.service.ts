import { Injectable } from '@nestjs/common';
import { AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { campaignNotFound } from '../common/campaign.exception';
import { Arm } from '../targets/control-group.rule';
import { ArmEvaluationDto, EvaluationDto, EvaluationRow } from './evaluation.dto';
import { evaluationCsv } from './evaluation.csv';
import { ArmFigures, EvaluationFigures, EvaluationRepository } from './evaluation.repository';
import { ArmCounts, conversionRate, costsOf, evaluationPhase, upliftOf } from './evaluation.rule';
import { evaluationSvg } from './evaluation.svg';

/** Statistics are given to six decimals: finer is noise, and it keeps 0.1 + 0.2 from showing its bits. */
const round = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 1e6) / 1e6;

/** A campaign judged against its control group, as it runs and after it ended: as JSON, CSV or SVG. */
@Injectable()
export class EvaluationService {
  constructor(
    private readonly evaluation: EvaluationRepository,
    private readonly scopes: DataScopeResolver,
  ) {}

  /** The evaluation of a campaign the caller's scope holds; the same 404 as an unknown one otherwise. */
  async evaluate(user: AuthenticatedUser, campaignId: string): Promise<EvaluationDto> {
    const figures = await this.evaluation.figures(await this.scopes.resolve(user), campaignId);
    if (!figures) throw campaignNotFound(campaignId);
    return present(figures, Date.now());
  }

  async csv(user: AuthenticatedUser, campaignId: string): Promise<string> {
    return evaluationCsv(await this.evaluate(user, campaignId));
  }

  async svg(user: AuthenticatedUser, campaignId: string): Promise<string> {
    return evaluationSvg(await this.evaluate(user, campaignId));
  }
}

function present(figures: EvaluationFigures, now: number): EvaluationDto {
  const { campaign } = figures;
  const armOf = (arm: Arm | null): ArmFigures => figures.arms.find((a) => a.arm === arm) ?? emptyArm(arm);
  const treatment = armOf(Arm.Treatment);
  const control = armOf(Arm.Control);
  const counts = (a: ArmFigures): ArmCounts => ({ targeted: a.targeted, converted: a.converted });
  const uplift = upliftOf(counts(treatment), counts(control));
  const attributionEndsAt = new Date(campaign.attributionEndsAt);
  const row = (label: EvaluationRow, a: ArmFigures): ArmEvaluationDto => ({
    arm: label,
    targeted: a.targeted,
    contactedCustomers: a.contactedCustomers,
    contacts: a.contacts,
    suppressed: a.suppressed,
    converted: a.converted,
    conversionRate: round(conversionRate(counts(a))),
    contactsPerCustomer: a.contactsPerCustomer,
    allCampaignsContactsPerCustomer: a.allCampaignsContactsPerCustomer,
  });
  return {
    campaignId: campaign.campaignId,
    name: campaign.name,
    status: campaign.status,
    phase: evaluationPhase(campaign.status, attributionEndsAt, now),
    evaluatedAt: new Date(now).toISOString(),
    startsAt: new Date(campaign.startsAt).toISOString(),
    endsAt: new Date(campaign.endsAt).toISOString(),
    attributionDays: campaign.attributionDays,
    attributionEndsAt: attributionEndsAt.toISOString(),
    arms: [
      row(EvaluationRow.Treatment, treatment),
      row(EvaluationRow.Control, control),
      row(EvaluationRow.Total, armOf(null)),
    ],
    uplift: {
      absolute: round(uplift.absolute),
      relative: round(uplift.relative),
      confidenceInterval: uplift.confidenceInterval && {
        ...uplift.confidenceInterval,
        lower: round(uplift.confidenceInterval.lower)!,
        upper: round(uplift.confidenceInterval.upper)!,
      },
      significant: uplift.significant,
      caveat: uplift.caveat,
    },
    attemptsByOutcome: figures.byOutcome,
    suppressedBy: figures.suppressedBy,
    responses: {
      respondedCustomers: figures.respondedCustomers,
      responseRate:
        treatment.contactedCustomers === 0
          ? null
          : round(figures.respondedCustomers / treatment.contactedCustomers),
      byOutcome: figures.responses,
    },
    costs: {
      currency: campaign.currency,
      ...costsOf({
        contactsByChannel: figures.byChannel,
        costPerContact: campaign.costPerContact,
        conversionValue: campaign.conversionValue,
        treatment: counts(treatment),
        control: counts(control),
      }),
    },
  };
}

/** An arm no customer was assigned to (a control share of 0, or no targets yet). */
const emptyArm = (arm: Arm | null): ArmFigures => ({
  arm,
  targeted: 0,
  contactedCustomers: 0,
  contacts: 0,
  suppressed: 0,
  converted: 0,
  contactsPerCustomer: { mean: '0.00', max: 0 },
  allCampaignsContactsPerCustomer: { mean: '0.00', max: 0 },
});
