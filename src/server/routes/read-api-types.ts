/**
 * The JSON the read-only API returns (src/server/routes/read-*.ts), typed once
 * for the server and the dashboard (web/src imports these types; type-only,
 * so nothing of the server reaches the browser bundle).
 *
 * Aggregates arrive suppressed at the run's k (`minGroupSize`): a null count
 * or measure is a group of fewer than k customers, or one withheld to protect
 * such a group. Nothing here but the customer routes carries a customer token.
 */
import type { ProspectsValue } from '../../report/prospects-value.js';
import type { PublishedCampaigns } from '../../actions/campaign-kpis.js';
import type { PublishedEventsSummary } from '../../events/publish-events-summary.js';
import type { HeadlineStats } from '../../features/headline-stats.js';
import type { TimeUnit } from '../../core/time-unit.js';
import type { PiiRole } from '../../privacy/access/classification.js';
import type { Presentation } from '../../privacy/access/rbac.js';
import type { PrivacyCheck } from '../../privacy/warehouse/warehouse-privacy-report.js';
import type { AuditEntry } from '../../privacy/warehouse/audit-log.js';
import type {
  ClusterProfiles,
  CohortRetention,
  CrossSellRules,
  ReportChurn,
  ReportLifecycleSeries,
  ReportLifecycleStages,
  ReportModelCard,
  ReportPrivacy,
  ReportStageTransitions,
  RfmSegments,
} from '../../report/report-data.js';
import type { ScoredBy } from '../../report/scores-model.js';
import type { JsonValueConcentration } from '../../report/value-concentration.js';
export type { JsonValueConcentration };
import type { ShownValueHistogram } from '../../report/value-histogram.js';
import type { ValueQuadrant } from '../../report/value-quadrant.js';

/** Which run a page shows. */
export interface RunRef {
  readonly id: string;
  readonly finishedAt: string;
  /** last day of the analysis window, YYYY-MM-DD */
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  /** k: the smallest group an aggregate may describe */
  readonly minGroupSize: number;
  /** things a person must know about the run */
  readonly warnings: readonly string[];
  /**
   * customers erased after the run finished (counts and days only): gone from every per-customer answer, still counted
   * by the run's aggregates until the next analysis (a note among `warnings` says so); null when none
   */
  readonly erasedAfterRun: { readonly customers: number; readonly from: string; readonly to: string } | null;
}

/** `GET /api/overview` */
export interface OverviewResponse {
  readonly run: RunRef;
  readonly headline: HeadlineStats;
  /** the transaction rows and quarantined rows the warehouse held when the run read it (the run's run.json) */
  readonly warehouse: { readonly transactions: number; readonly quarantined: number };
  /** the same counts now, read at each request: they differ from `warehouse` after an ingest, a drop or an erasure since the run */
  readonly warehouseNow: { readonly transactions: number; readonly quarantined: number };
  /**
   * the chosen purchase model (the value model, chosen on the holdout), or null when the value models did not run.
   * `totalPredicted` is the total of the predicted CLV the customers carry: when the honest tournament's winner rewrote
   * the scores it is the winner's, not the value model's — `scores` says whose, `scoresNote` what the tournament did
   * (src/report/scores-model.ts: the report's words, '' when there is nothing to say).
   */
  readonly valueModel: {
    readonly chosen: string;
    readonly label: string;
    readonly reason: string;
    readonly totalPredicted: number | null;
    readonly horizonMonths: number;
    readonly scores: ScoredBy;
    readonly scoresNote: string;
  } | null;
  /** the prospects (no purchase yet) and their expected first-year value, which `valueModel.totalPredicted` (the buyers') leaves out; null when the run scored none */
  readonly prospects: ProspectsValue | null;
  readonly stages: ReportLifecycleStages | null;
  /** RFM segments with their counts (suppressed ones null) */
  readonly segments: RfmSegments | null;
  /** why there is no money (a frequency-only log), or null */
  readonly spendNote: string | null;
}

/** `GET /api/value`: computed on the server from the per-customer columns, suppressed at k; the columns never leave it. */
export interface ValueResponse {
  readonly run: RunRef;
  readonly spendNote: string | null;
  readonly histogram: ShownValueHistogram | null;
  /** null figures: a top share withheld at k, a Gini that cannot be computed, the curve when the value sums to 0 (JsonValueConcentration) */
  readonly concentration: JsonValueConcentration | null;
  /** null without a value model */
  readonly quadrant: ValueQuadrant | null;
  readonly horizonMonths: number;
}

/** `GET /api/model-card` */
export interface ModelCardResponse {
  readonly run: RunRef;
  readonly modelCard: ReportModelCard | null;
  readonly churn: ReportChurn | null;
}

/** `GET /api/segments` */
export interface SegmentsResponse {
  readonly run: RunRef;
  readonly segments: RfmSegments | null;
}

/** `GET /api/clusters` */
export interface ClustersResponse {
  readonly run: RunRef;
  readonly clusters: ClusterProfiles | null;
}

/** `GET /api/lifecycle` */
export interface LifecycleResponse {
  readonly run: RunRef;
  readonly stages: ReportLifecycleStages | null;
  readonly transitions: ReportStageTransitions | null;
  readonly lifecycleSeries: ReportLifecycleSeries | null;
}

/** `GET /api/cohorts` */
export interface CohortsResponse {
  readonly run: RunRef;
  readonly cohorts: CohortRetention | null;
}

/** `GET /api/cross-sell` */
export interface CrossSellResponse {
  readonly run: RunRef;
  readonly rules: CrossSellRules | null;
}

/** `GET /api/events-summary` */
export interface EventsSummaryResponse {
  readonly run: RunRef;
  readonly events: PublishedEventsSummary | null;
}

/** `GET /api/campaign-results`: the newest evaluation of every audience, groups under k withheld. */
export interface CampaignResultsResponse {
  readonly minGroupSize: number;
  readonly campaigns: PublishedCampaigns;
}

/** `GET /api/privacy` */
export interface PrivacyResponse {
  readonly privacy: ReportPrivacy;
  readonly checks: readonly PrivacyCheck[];
  readonly auditEntries: number;
}

/** One audit entry as `GET /api/audit` lists it (hashes shortened). */
export type AuditRow = Pick<AuditEntry, 'seq' | 'ts' | 'actor' | 'role' | 'action' | 'target' | 'rowCounts' | 'details' | 'hash'>;

/** `GET /api/audit` (admin): newest first. */
export interface AuditResponse {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly entries: readonly AuditRow[];
  /** the hash chain and MACs checked (null: no key to check the MACs with) */
  readonly verification: { readonly ok: boolean; readonly message: string | null } | null;
}

/** Sort keys of the customer list (each one catalogue column). */
export const CUSTOMER_SORTS = ['predicted_value', 'historic_value', 'p_alive', 'churn_probability', 'last_purchase', 'orders', 'customer'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** Lifecycle stages a customer can be in (the filter's allowed values). */
export const CUSTOMER_STAGES = ['prospect', 'new', 'active', 'reactivated', 'at_risk', 'dormant', 'churned'] as const;
/** Value tiers (the filter's allowed values). */
export const CUSTOMER_TIERS = ['high', 'medium', 'low'] as const;

/** One row of the customer list: a token and figures; PII only as the role may see it. */
export interface CustomerRow {
  readonly customer: string;
  readonly stage: string | null;
  readonly segment: string | null;
  readonly tier: string | null;
  readonly orders: number | null;
  readonly lastPurchase: string | null;
  readonly historicValue: number | null;
  readonly predictedValue: number | null;
  readonly pAlive: number | null;
  readonly churnProbability: number | null;
  /** PII columns the role may see (masked, or raw for an admin with reveal=1) */
  readonly pii?: Readonly<Partial<Record<PiiRole, string | null>>>;
  /** admin with reveal=1 only: the original id */
  readonly originalId?: string | null;
}

/** `GET /api/customers` */
export interface CustomerListResponse {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly sort: CustomerSort;
  /** the filter values in use, and the segments one can filter by */
  readonly segments: readonly string[];
  /** how each PII column is shown to this role */
  readonly piiShown: Readonly<Partial<Record<PiiRole, Presentation>>>;
  readonly revealed: boolean;
  readonly customers: readonly CustomerRow[];
}

/** `GET /api/customers/:token`: the customer 360. */
export interface CustomerDetailResponse {
  readonly customer: string;
  readonly originalId?: string | null;
  readonly revealed: boolean;
  readonly pii: Readonly<Partial<Record<PiiRole, string | null>>>;
  readonly piiShown: Readonly<Partial<Record<PiiRole, Presentation>>>;
  /** every column of every derived table the run wrote, by table (`customer_scores`: { p_alive: 0.8, … }) */
  readonly scores: Readonly<Record<string, Readonly<Record<string, string | number | null>>>>;
  /** the stage at the end of each period (from the lifecycle history), oldest first */
  readonly stageHistory: readonly { readonly period: string; readonly stage: string }[];
  readonly orders: readonly { readonly orderId: string | null; readonly day: string; readonly lines: number; readonly amount: number | null; readonly returns: boolean }[];
  readonly ordersTotal: number;
  /** the audiences the customer was drawn into, newest send date first: group treatment (contacted) or control (held out) */
  readonly audiences: readonly { readonly name: string; readonly group: string; readonly sendDate: string | null; readonly play: string | null }[];
  readonly recommendations: readonly { readonly rank: number; readonly item: string; readonly score: number | null }[];
  /** the served run's churn risk bands (run.json learned.churn.bands): a rank, the lowest probability banded high and medium; null without a churn card */
  readonly churnBands: ChurnBands | null;
}

/** Churn risk bands by rank: `highShare` of the customers (the riskiest) high, the next `mediumShare` medium; the lowest churn_probability of each (null: the band is empty). */
export type ChurnBands = NonNullable<NonNullable<ReportChurn>['churn']>['bands'];
