import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import type { Access } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import { campaignChannelKpis, type ChannelKpi } from './campaign-channels.js';
import type { CampaignEvaluation, MeasuredWindow, StoredBeforeExactTests } from './evaluate-campaign.js';
import { measuredWindow, staleEvaluation } from './evaluation-staleness.js';
import { readStoredEvaluation } from './stored-evaluation.js';
import { balanceBeyondChance, comparedAdjustedUplift, comparisonWarnings, evaluationWarnings, isOverlapWarning, type ComparedAdjustedUplift } from './comparison-warnings.js';
import type { UpliftTest } from './estimate-uplift.js';

/** An interval-carrying uplift as run.json and the report show it. */
export interface PublishedUplift {
  readonly treatment: number;
  readonly control: number;
  readonly relativeUplift: number | null;
  readonly relativeUpliftInterval: readonly [number, number] | null;
  /** treatment − control per customer, with its 95% interval: shown where there is no relative uplift (a control without buyers); absent in run.json files written before it was published */
  readonly absoluteUplift?: number;
  readonly absoluteUpliftInterval?: readonly [number, number];
  readonly pValue: number;
  /** the test behind `pValue` (absent for evaluations stored before it was said: Welch's t) */
  readonly test?: UpliftTest;
}

/** The KPIs of one evaluated campaign (its newest evaluation), for run.json and the report. */
export interface CampaignKpi {
  readonly audience: string;
  readonly play: string | null;
  /** the window measured (`requestedTo`: the end asked for, when the data ended before it; `MeasuredWindow`) */
  readonly window: MeasuredWindow;
  /**
   * why the evaluation no longer describes the warehouse's data, with the command to measure it again (the API: its route; `staleEvaluation`:
   * cut short and transactions after its end ingested since, or its audience's transaction lines in the window changed); absent when current
   */
  readonly stale?: string;
  /**
   * the evaluation's overlap warnings (`overlapWarnings`): members of its control or treatment group treated by other
   * audiences sent in its window — a partly contacted control, contacts combined; absent when none
   */
  readonly overlap?: readonly string[];
  /**
   * the covariates of the evaluation's balance check (`balance`) beyond what random assignment gives, each with its SMD:
   * `purchases per customer before the send date: SMD −0.520 (chance ±0.281)`; [] when none is; absent for an
   * evaluation stored before the balance check (`balanceBeyondChance`)
   */
  readonly balanceBeyondChance?: readonly string[];
  /**
   * the revenue uplift per customer adjusted for the same outcome in the pre-period (CUPED; purchases where the lines
   * have no order values), with its 95% interval: secondary to the unadjusted one; absent for an evaluation stored before it
   */
  readonly adjustedUplift?: ComparedAdjustedUplift;
  /** the audience's send date (absent in run.json files written before it was published) */
  readonly sendDate?: string;
  /** when the evaluation shown was made (ISO, UTC): the as-of of its figures (set by `readCampaignKpis`) */
  readonly evaluatedAt?: string | null;
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
  /**
   * cost ÷ treated customers who bought — every one of them, those who would have bought without the campaign
   * included: a cost per treated buyer, not the campaign's efficiency (that is `costPerIncrementalBuyer`)
   */
  readonly costPerResponse: number | null;
  /** cost ÷ incremental buyers, only where the buyers' uplift is an effect (its interval excludes 0 and Fisher's test rejects) (else null) */
  readonly costPerIncrementalBuyer: number | null;
  /** its 95% interval: cost ÷ the incremental buyers' interval (null where it is null) */
  readonly costPerIncrementalBuyerInterval?: readonly [number, number] | null;
  /** why `costPerIncrementalBuyer` is null (no cost given, or the buyers' uplift interval holds 0) */
  readonly costPerIncrementalBuyerUnavailable?: string | null;
  readonly roi: number | null;
  readonly roiInterval: readonly [number, number] | null;
  /** from a responses file (`campaign evaluate --responses`): response and redemption rates per group, cost per response and per redemption */
  readonly responses?: {
    readonly responseRate: { readonly treatment: number; readonly control: number };
    readonly redemptionRate: { readonly treatment: number | null; readonly control: number | null };
    readonly costPerResponse: number | null;
    readonly costPerRedemption: number | null;
  } | null;
  /** mean CLV (historic to the send date + predicted 12 months) ÷ mean acquisition cost of the members (null without acquisition costs; set by `readCampaignKpis`) */
  readonly clvToCac?: number | null;
  /** ROI and CLV:CAC by acquisition channel (`campaignChannelKpis`; set by `readCampaignKpis`) */
  readonly channels?: readonly ChannelKpi[];
  /** evaluated before the exact tests: what was measured again on reading and what is still Welch's t (`readStoredEvaluation`) */
  readonly storedBeforeExactTests?: StoredBeforeExactTests;
}

export interface PublishedCampaigns {
  readonly campaigns: readonly CampaignKpi[];
  /** evaluations left out because a group is smaller than the run's minimum group size */
  readonly withheld: number;
  /**
   * the campaigns were evaluated over windows of different lengths, or starting at different days after their send dates
   * (`comparisonWarnings`); an evaluation is stale; a window has stretches without any transaction; an evaluation's
   * groups overlap other audiences' treatment groups (`overlap`); its balance check found a covariate beyond chance
   * (`balanceBeyondChance`)
   */
  readonly warnings?: readonly string[];
}

const uplift = (u: CampaignEvaluation['purchases'] | null): PublishedUplift | null =>
  u === null
    ? null
    : { treatment: u.treatment, control: u.control, relativeUplift: u.relativeUplift, relativeUpliftInterval: u.relativeUpliftInterval, absoluteUplift: u.absoluteUplift, absoluteUpliftInterval: u.absoluteUpliftInterval, pValue: u.pValue, ...(u.test ? { test: u.test } : {}) };

/** The KPIs of an evaluation (cost per response, AOV, repurchase rate per group). */
export function campaignKpi(e: CampaignEvaluation): CampaignKpi {
  const respondents = e.buyers.treatment * e.groups.treatment;
  const [low, high] = e.buyers.incrementalInterval;
  const perIncrementalBuyer = e.costPerIncrementalBuyer !== null && e.cost && low > 0;
  const aov = (revenue: number | undefined, purchases: number) => (revenue === undefined || purchases <= 0 ? null : revenue / purchases);
  const overlap = e.warnings.filter(isOverlapWarning);
  const beyondChance = balanceBeyondChance(e.balance);
  const adjusted = comparedAdjustedUplift(e.adjusted);
  return {
    audience: e.audience,
    play: e.play,
    window: measuredWindow(e),
    ...(overlap.length > 0 ? { overlap } : {}),
    ...(beyondChance ? { balanceBeyondChance: beyondChance } : {}),
    ...(adjusted ? { adjustedUplift: adjusted } : {}),
    sendDate: e.sendDate,
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
    costPerIncrementalBuyerInterval: perIncrementalBuyer ? [e.cost!.total / high, e.cost!.total / low] : null,
    costPerIncrementalBuyerUnavailable: e.costPerIncrementalBuyer !== null ? null : e.cost ? (e.unavailable.costPerIncrementalBuyer ?? null) : 'no cost per contact given',
    roi: e.roi,
    roiInterval: e.roiInterval,
    responses: e.responses
      ? {
          responseRate: { treatment: e.responses.treatment.responseRate, control: e.responses.control.responseRate },
          redemptionRate: { treatment: e.responses.treatment.redemptionRate, control: e.responses.control.redemptionRate },
          costPerResponse: e.responses.costPerResponse,
          costPerRedemption: e.responses.costPerRedemption,
        }
      : null,
    ...(e.storedBeforeExactTests ? { storedBeforeExactTests: e.storedBeforeExactTests } : {}),
  };
}

/**
 * The newest evaluation of every audience in `campaign_evaluations`, as KPIs
 * (one stored before the exact tests read through `readStoredEvaluation`);
 * an evaluation whose treatment or control group is smaller than
 * `minGroupSize` is withheld (its means would describe fewer people). Each
 * campaign carries its CLV:CAC and its ROI and CLV:CAC by acquisition
 * channel (`campaignChannelKpis`), channels below the k-floor withheld. With `api` (`GET /api/campaign-results`, the
 * publish stage of a run started through `POST /api/runs`), a stale evaluation names the route that measures it again,
 * not the CLI's command with the warehouse's path (`staleEvaluation`).
 */
export async function readCampaignKpis(warehouse: Warehouse, minGroupSize: number, options: { readonly api?: boolean } = {}): Promise<PublishedCampaigns> {
  if (!(await tableExists(warehouse, 'campaign_evaluations'))) return { campaigns: [], withheld: 0 };
  const d = warehouse.dialect;
  const rows = await warehouse.query(`SELECT result, newest FROM (
      SELECT ${d.argMax('result', 'evaluated_at')} AS result, max(evaluated_at) AS newest FROM campaign_evaluations GROUP BY audience
    ) e ORDER BY newest`);
  const evaluations = rows.map((r) => ({ e: JSON.parse(String(r.result)) as CampaignEvaluation, evaluatedAt: instantOf(r.newest) }));
  const shown = evaluations.filter(({ e }) => e.groups.treatment >= minGroupSize && e.groups.control >= minGroupSize);
  const audiences = new Set((await warehouse.query('SELECT name FROM audiences')).map((r) => String(r.name)));
  const campaigns: CampaignKpi[] = [];
  for (const { e: stored, evaluatedAt } of shown) {
    // one stored before the exact tests is measured again where its inputs are there, else marked Welch's t
    const e = await readStoredEvaluation(warehouse, stored);
    // a dropped audience keeps its evaluation but no members to split by channel
    const channels = audiences.has(e.audience) ? await campaignChannelKpis(warehouse, e, minGroupSize) : null;
    const stale = await staleEvaluation(warehouse, e, options.api === true);
    campaigns.push({ ...campaignKpi(e), ...(stale ? { stale } : {}), evaluatedAt, clvToCac: channels?.clvToCac ?? null, channels: channels?.channels ?? [] });
  }
  return { campaigns, withheld: evaluations.length - shown.length, warnings: [...comparisonWarnings(campaigns), ...evaluationWarnings(campaigns)] };
}


/**
 * `clvkit campaign compare`: every evaluated campaign's KPIs side by side
 * (the newest evaluation of each audience, as run.json publishes them), with
 * CLV:CAC and ROI by acquisition channel; the read is audited
 * (`view_aggregates`).
 *
 * Example: `await compareCampaigns(wh, { minGroupSize: 5, keyring, access })` → `{ campaigns: [{ audience: 'spring', roi: 1.9, channels: [...] }, …], withheld: 0 }`
 */
export async function compareCampaigns(warehouse: Warehouse, options: { readonly minGroupSize: number; readonly keyring: Keyring | null; readonly access: Access }): Promise<PublishedCampaigns> {
  assertCan(options.access.role, 'view_aggregates');
  const published = await readCampaignKpis(warehouse, options.minGroupSize);
  if (options.keyring) {
    await recordAudit(warehouse, options.keyring, options.access, { action: 'view_aggregates', target: 'campaigns', rowCounts: { campaigns: published.campaigns.length, withheld: published.withheld }, details: { command: 'campaign compare' } });
  }
  return published;
}

/** An instant from a query result (a Date from DuckDB, `YYYY-MM-DD hh:mm:ss[.sss]` in UTC from ClickHouse) as ISO text. */
function instantOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value).replace(' ', 'T');
  const ms = Date.parse(/[Zz]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(value);
}
