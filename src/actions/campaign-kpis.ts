import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import type { CampaignEvaluation } from './evaluate-campaign.js';

/** An interval-carrying uplift as run.json and the report show it. */
export interface PublishedUplift {
  readonly treatment: number;
  readonly control: number;
  readonly relativeUplift: number | null;
  readonly relativeUpliftInterval: readonly [number, number] | null;
  readonly pValue: number;
}

/** The KPIs of one evaluated campaign (its newest evaluation), for run.json and the report. */
export interface CampaignKpi {
  readonly audience: string;
  readonly play: string | null;
  readonly window: { readonly from: string; readonly to: string; readonly days: number };
  readonly groups: { readonly treatment: number; readonly control: number };
  /** share of each group that bought in the window (repurchase rate); 1 − it is the window's churn rate */
  readonly repurchaseRate: { readonly treatment: number; readonly control: number };
  /** revenue per purchase in each group (null without order values or purchases) */
  readonly averageOrderValue: { readonly treatment: number | null; readonly control: number | null };
  readonly purchases: PublishedUplift;
  readonly buyers: PublishedUplift;
  readonly revenue: PublishedUplift | null;
  readonly margin: PublishedUplift | null;
  readonly cost: number | null;
  /** cost ÷ treated customers who bought */
  readonly costPerResponse: number | null;
  readonly costPerIncrementalBuyer: number | null;
  readonly roi: number | null;
  readonly roiInterval: readonly [number, number] | null;
}

export interface PublishedCampaigns {
  readonly campaigns: readonly CampaignKpi[];
  /** evaluations left out because a group is smaller than the run's minimum group size */
  readonly withheld: number;
}

const uplift = (u: CampaignEvaluation['purchases'] | null): PublishedUplift | null =>
  u === null ? null : { treatment: u.treatment, control: u.control, relativeUplift: u.relativeUplift, relativeUpliftInterval: u.relativeUpliftInterval, pValue: u.pValue };

/** The KPIs of an evaluation (cost per response, AOV, repurchase rate per group). */
export function campaignKpi(e: CampaignEvaluation): CampaignKpi {
  const respondents = e.buyers.treatment * e.groups.treatment;
  const aov = (revenue: number | undefined, purchases: number) => (revenue === undefined || purchases <= 0 ? null : revenue / purchases);
  return {
    audience: e.audience,
    play: e.play,
    window: e.window,
    groups: e.groups,
    repurchaseRate: { treatment: e.buyers.treatment, control: e.buyers.control },
    averageOrderValue: { treatment: aov(e.revenue?.treatment, e.purchases.treatment), control: aov(e.revenue?.control, e.purchases.control) },
    purchases: uplift(e.purchases)!,
    buyers: uplift(e.buyers)!,
    revenue: uplift(e.revenue),
    margin: uplift(e.margin),
    cost: e.cost?.total ?? null,
    costPerResponse: e.cost && respondents > 0 ? e.cost.total / respondents : null,
    costPerIncrementalBuyer: e.costPerIncrementalBuyer,
    roi: e.roi,
    roiInterval: e.roiInterval,
  };
}

/**
 * The newest evaluation of every audience in `campaign_evaluations`, as KPIs;
 * an evaluation whose treatment or control group is smaller than
 * `minGroupSize` is withheld (its means would describe fewer people).
 */
export async function readCampaignKpis(warehouse: Warehouse, minGroupSize: number): Promise<PublishedCampaigns> {
  if (!(await tableExists(warehouse, 'campaign_evaluations'))) return { campaigns: [], withheld: 0 };
  const d = warehouse.dialect;
  const rows = await warehouse.query(`SELECT result FROM (
      SELECT ${d.argMax('result', 'evaluated_at')} AS result, max(evaluated_at) AS newest FROM campaign_evaluations GROUP BY audience
    ) e ORDER BY newest`);
  const evaluations = rows.map((r) => JSON.parse(String(r.result)) as CampaignEvaluation);
  const shown = evaluations.filter((e) => e.groups.treatment >= minGroupSize && e.groups.control >= minGroupSize);
  return { campaigns: shown.map(campaignKpi), withheld: evaluations.length - shown.length };
}
