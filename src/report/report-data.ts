/**
 * Everything the HTML report shows, shaped for charts. The pipeline fills
 * what it has; `renderReport` renders a section only when its data is
 * present (`run` and `customers` always are).
 *
 * Privacy by construction: nothing here carries a customer id. Per-customer
 * data are anonymous parallel arrays (index i is the same customer in every
 * array); quarantined rows arrive already masked; every other field is an
 * aggregate.
 *
 * Shapes follow what the producers return, so most fields are a direct
 * assignment: `run` is the pipeline's `RunSummary`, `modelCard` its
 * `valueModel` card, `privacy` the result of `buildPrivacyReport`.
 *
 * Small-group suppression: aggregates arrive suppressed (the pipeline's
 * `publishRunSummary`): a null count or measure is a group of fewer than
 * k customers (`run.privacy.minGroupSize`, default 5), or one withheld to
 * protect such a group. Sections print it as “suppressed” and charts leave
 * it out. What the report computes itself from the per-customer columns
 * (value bands, the Pareto curve, quadrants, the scatter) it suppresses at
 * the same k.
 */
import type { PublishedCampaigns } from '../actions/campaign-kpis.js';
import type { PublishedEventsSummary } from '../events/publish-events-summary.js';
import type { ProspectScores } from '../events/score-prospects.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import type { HeadlineStats } from '../features/headline-stats.js';
import type { IngestReport } from '../ingest/ingest-report.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { ClvTotalsFields } from '../core/clv-totals.js';
import type { TrackingAge } from '../core/tracking-age.js';
import type { PrivacyReport } from '../privacy/warehouse/privacy-report.js';
import type { HeterogeneityDensity } from '../models/btyd/heterogeneity-densities.js';
import type { ChurnScorecard } from '../models/evaluate-churn-scores.js';

/** A numeric column: `Float64Array` from a columnar query, or a plain array. */
export type NumericColumn = ArrayLike<number>;

/** What the run was and what the ingest and summary found (a subset of the pipeline's `RunSummary`). */
export interface ReportRun {
  readonly clvkitVersion: string;
  /** ISO time the run started */
  readonly startedAt: string;
  readonly parameters: {
    readonly db: string;
    /** input files; the report shows their base names only */
    readonly files: readonly string[];
    /** last day of the analysis window, YYYY-MM-DD */
    readonly asOf: string;
    readonly timeUnit: TimeUnit;
    readonly grain: PurchaseGrain;
  };
  /** rows read / accepted / quarantined, every rule's count, per-file details */
  readonly ingest: IngestReport;
  /** what the warehouse holds after the ingest */
  readonly warehouse: { readonly transactions: number; readonly quarantined: number };
  readonly headline: HeadlineStats;
  /** milliseconds per pipeline step, in run order */
  readonly timingsMs: Readonly<Record<string, number>>;
  /** k: the smallest group an aggregate may describe (default 5) */ readonly privacy?: { readonly minGroupSize: number };
  /** present only when the data has no order values (a frequency-only log): why spend and CLV are missing, in one line */
  readonly spend?: { readonly orderValues: false; readonly note: string };
  /** evaluated campaigns (`clvkit campaign evaluate`): uplift with intervals, ROI, cost per response; absent or empty when none */
  readonly campaigns?: PublishedCampaigns;
  /** events and prospects as published (small groups suppressed); null or absent without events */
  readonly events?: PublishedEventsSummary | null;
  /** the prospects' scores (whole-population figures): with events the same as `events.prospects`, without them scored from the profiles alone (`basis: 'profiles'`); null or absent when there were neither events nor profiles */
  readonly prospects?: ProspectScores | null;
  /** the run's warnings (run.json `warnings`): a step skipped and why, a contradiction to act on; shown in the overview */ readonly warnings?: readonly string[];
}

/**
 * One entry per customer of `customer_summary`, all arrays in the same order
 * and of the same length. No ids: the report draws distributions, curves and
 * an anonymous scatter from these.
 *
 * From the warehouse, one columnar query (numeric columns come back as Float64Array):
 * ```ts
 * const { columns } = await warehouse.queryColumns(
 *   `SELECT s.total_spend, s.historic_clv, c.predicted_clv_12m, c.p_alive
 *    FROM customer_summary s LEFT JOIN customer_scores c ON c.customer_id = s.customer_id`);
 * const customers = { totalSpend: columns.total_spend, historicValue: columns.historic_clv,
 *   predictedValue: columns.predicted_clv_12m, probabilityAlive: columns.p_alive } as ReportCustomers;
 * ```
 */
export interface ReportCustomers {
  /** net spend in the analysis window (`customer_summary.total_spend`; returns are negative) */
  readonly totalSpend: NumericColumn;
  /** historic value: net spend − cost where known (`customer_summary.historic_clv`); default `totalSpend` */
  readonly historicValue?: NumericColumn;
  /** predicted value over the next `predictionHorizonMonths` (`customer_scores.predicted_clv_12m`) */
  readonly predictedValue?: NumericColumn;
  /** horizon of `predictedValue` in months (default 12) */
  readonly predictionHorizonMonths?: number;
  /** probability the customer is still active (`customer_scores.p_alive`) */
  readonly probabilityAlive?: NumericColumn;
}

/** A rejected input row, already masked by the caller (`raw` holds no readable customer id or personal text). */
export interface QuarantineExample {
  /** file name */
  readonly source: string;
  /** line in the file (header counted) */
  readonly line: number;
  /** reason code, e.g. `missing_customer_id` */
  readonly reason: string;
  /** readable and masked, e.g. `duplicate of line 17 of orders.csv; its text is not stored (held already)`, `date: 31/31/2023` */
  readonly detail?: string | null;
  /** the row's fields as read, masked; empty when no text is held (a duplicate) or the report's reader may not open it */
  readonly raw: string;
}

/** Goodness of fit and holdout scores of one candidate purchase model (a line of the pipeline's model card). */
export interface ModelComparisonEntry {
  /** model code, e.g. `bgnbd` */
  readonly model: string;
  /** display name, e.g. `BG/NBD` */
  readonly label: string;
  readonly citation?: string;
  /** parameters fitted on the calibration window */
  readonly params: Readonly<Record<string, number>>;
  /** 95% intervals of `params` */
  readonly intervals95?: Readonly<Record<string, readonly [number, number]>>;
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly fit: { readonly converged: boolean };
  readonly holdout: {
    /** mean absolute error of holdout purchases per customer: the tournament's criterion */
    readonly mae: number;
    readonly rmse: number;
    /** (predicted − actual) / actual of the total holdout purchases */
    readonly totalRelativeError: number;
    /** rank correlation of predicted and actual holdout purchases */
    readonly spearman: number; readonly spearmanUndefined?: string; // why spearman is NaN ("all predictions equal")
    /** normalised Gini of the ranking (1 = perfect, 0 = random) */
    readonly gini: number;
    readonly giniRankedBy?: 'value'; // the Gini ranks customers by predicted value against their holdout spend (else by purchases)
    readonly predictedTotal?: number;
    readonly actualTotal?: number;
  };
  /** the model the pipeline chose */
  readonly chosen: boolean;
}

/** Customers by calibration repeat count: actual vs expected by the model. */
export interface CalibrationHistogramData {
  /** bucket labels `0`, `1`, …, `7+` */
  readonly labels: readonly string[];
  /** customers per bucket; null: suppressed (fewer than k customers, or protecting such a bucket) */
  readonly actual: readonly (number | null)[];
  /** customers per bucket the model expects */
  readonly expected: readonly number[];
}

/** Mean holdout purchases per customer by calibration repeat count: actual vs the model's conditional expectation. */
export interface ConditionalExpectationData {
  /** calibration repeat-count buckets `0`, `1`, …, `7+` */
  readonly labels: readonly string[];
  /** customers per bucket (optional; shown in the caption); null: suppressed */
  readonly customers?: readonly (number | null)[];
  /** NaN where a bucket is empty, null where suppressed */
  readonly actual: readonly (number | null)[];
  readonly expected: readonly (number | null)[];
}

/** Repeat purchases of the whole base per period, calibration and holdout. */
export interface TrackingData {
  /** period labels, e.g. week start dates */
  readonly periodLabels: readonly string[];
  /** repeat purchases per period, actual */
  readonly actualIncremental: readonly number[];
  /** repeat purchases per period the model expects */
  readonly expectedIncremental: readonly number[];
  /** running totals (computed from the incremental series when absent) */
  readonly actualCumulative?: readonly number[];
  readonly expectedCumulative?: readonly number[];
  /** index into `periodLabels` of the last calibration period */
  readonly calibrationEndIndex: number;
  /** how the expected side counts ages at period ends (core/tracking-age.ts) */
  readonly age?: TrackingAge;
}

/** P(alive) over a frequency × recency grid at a fixed customer age T. */
export interface ProbabilityAliveMatrix {
  /** customer age (first purchase → calibration end) of the grid, in the time unit */
  readonly T: number;
  /** rows: repeat purchase counts */
  readonly frequency: readonly number[];
  /** columns: recency (first → last purchase) in the time unit */
  readonly recency: readonly number[];
  /** [frequency row][recency column]; NaN (or null) where the combination is impossible */
  readonly probabilityAlive: readonly (readonly (number | null)[])[];
}

/** A fitted mixing density across customers (`models/btyd/heterogeneity-densities.ts`). */
export interface HeterogeneityDensityData extends Omit<HeterogeneityDensity, 'density'> {
  /** null where JSON could not carry a non-finite value */
  readonly density: readonly (number | null)[];
}

/** P(alive) along a made-up purchase history (`models/btyd/illustrative-alive-paths.ts`). */
export interface AlivePathExample {
  readonly label: string;
  readonly purchaseTimes: readonly number[];
  readonly t: readonly number[];
  readonly pAlive: readonly number[];
}

/**
 * How the value model was chosen and why it can be trusted. This is the
 * pipeline's `valueModel` card (`src/pipeline/value-step.ts`); only the
 * fields below are read and all blocks but the comparison are optional.
 */
export interface ReportModelCard {
  readonly timeUnit: TimeUnit;
  /** last day of the calibration window, YYYY-MM-DD */
  readonly calibrationEnd: string;
  /** last day of the holdout window, YYYY-MM-DD */
  readonly holdoutEnd: string;
  /** holdout length in the time unit */
  readonly holdoutDuration?: number;
  readonly calibrationCustomers?: number;
  /** model code of the chosen model */
  readonly chosen: string;
  /** why it was chosen, in words */
  readonly reason: string;
  readonly comparison: readonly ModelComparisonEntry[];
  readonly diagnostics?: {
    readonly calibrationHistogram?: CalibrationHistogramData;
    readonly conditionalExpectation?: ConditionalExpectationData;
    readonly tracking?: TrackingData;
    readonly frequencyRecency?: ProbabilityAliveMatrix;
  };
  /** the chosen model refitted on all data: the parameters that produce the scores */
  readonly final?: {
    readonly model: string;
    readonly params: Readonly<Record<string, number>>;
    readonly intervals95?: Readonly<Record<string, readonly [number, number]>>;
    readonly logLikelihood?: number;
    readonly fit?: { readonly converged: boolean };
    readonly customers?: number;
  };
  /** the final fit's purchase-rate and dropout densities */
  readonly heterogeneity?: {
    readonly purchaseRate: HeterogeneityDensityData | null;
    readonly dropout: HeterogeneityDensityData | null;
    readonly notes?: readonly string[];
  };
  /** P(alive) along three made-up histories under the final fit */
  readonly alivePathExamples?: readonly AlivePathExample[];
  /** the spend model (Gamma-Gamma) */
  readonly spend?: {
    readonly model: string;
    readonly params: Readonly<Record<string, number>> | null;
    readonly intervals95?: Readonly<Record<string, readonly [number, number]>> | null;
    readonly repeatBuyers?: number;
    readonly populationMeanSpend?: number;
    readonly note?: string;
  };
  /** CLV settings and the total predicted value; the totals, each with its months: clv-totals.ts */
  readonly clv?: ClvTotalsFields & {
    readonly discountRatePerYear: number;
    readonly margin: number;
    /** level of the per-customer intervals, e.g. 0.9, and the parameter draws behind them (0: none; absent in older run.json) */
    readonly intervalLevel?: number;
    readonly intervalDraws?: number;
    /** why there are no per-customer intervals (a fit on a boundary, or a tournament winner that rewrote the scores), when there are none */
    readonly intervalsSkipped?: string;
  };
}

/** One RFM segment. */
export interface RfmSegment {
  /** e.g. `Champions`, `At risk` */
  readonly name: string;
  /** null: suppressed (with its value) */
  readonly customers: number | null;
  /** historic value of the segment (sum over its customers) */
  readonly value: number | null;
  /** predicted value (sum), when a value model ran */
  readonly predictedValue?: number | null;
  /** who is in it, e.g. `bought recently, often, and spent the most` */
  readonly description?: string;
  /** what to do, e.g. `reward; ask for reviews` */
  readonly action?: string;
}

export interface RfmSegments {
  /** how customers were scored, e.g. `quintiles of recency, frequency and monetary value` */
  readonly method?: string;
  readonly segments: readonly RfmSegment[];
  /** all customers and their value (default: the sum over the segments, suppressed ones missing); value null: the data have no order values (no value columns, the report says so) */
  readonly customers?: number;
  readonly value?: number | null;
}

/** One cluster of customers. */
export interface ClusterProfile {
  readonly name: string;
  /** null: suppressed, with every number of the cluster */
  readonly customers: number | null;
  /** feature means in their own units, in the order of `ClusterProfiles.features` */
  readonly means: readonly (number | null)[];
  /** feature means standardised against all customers ((mean − overall mean) / overall sd), same order */
  readonly zScores: readonly (number | null)[];
  /** historic value (sum), when known */
  readonly value?: number | null;
  readonly description?: string | null;
}

export interface ClusterProfiles {
  /** e.g. `k-means on log-scaled RFM features, k = 4 chosen by silhouette` */
  readonly method: string;
  /** feature names, e.g. `recency (weeks)` */
  readonly features: readonly string[];
  readonly clusters: readonly ClusterProfile[];
  /** all customers clustered (default: the sum over the clusters, suppressed ones missing) */
  readonly customers?: number;
  /** mean silhouette of the chosen clustering, when computed */
  readonly silhouette?: number;
}

/*
 * The lifecycle and cross-sell parts as the report and the read API show them (stage names, suppressed counts null):
 * `Report…`, apart from the step results they are made from (lifecycle/assign-lifecycle-stages.ts' LifecycleStages,
 * compute-stage-transitions.ts' StageTransitions, lifecycle-series.ts' LifecycleSeries, the recommender's CrossSellRule).
 */

/** Customers per lifecycle stage at the as-of date. The order of `stages` is the lifecycle order (and fixes stage colours). */
export interface ReportLifecycleStages {
  readonly asOf: string;
  /** all customers in a stage (default: the sum over the stages, suppressed ones missing) */
  readonly customers?: number;
  /** customers null: suppressed */
  readonly stages: readonly { readonly name: string; readonly customers: number | null; readonly value?: number | null; readonly description?: string }[];
}

/** Customers moving between stages from one date to another. */
export interface ReportStageTransitions {
  /** e.g. `2011-06-30` */
  readonly fromLabel: string;
  readonly toLabel: string;
  /** one entry per (from, to) pair with customers > 0; `from === to` means the customer stayed */
  readonly flows: readonly { readonly from: string; readonly to: string; readonly customers: number }[];
  /** flows left out of `flows` because they are suppressed (fewer than k customers, or protecting such a flow) */
  readonly suppressedFlows?: readonly { readonly from: string; readonly to: string }[];
}

/** Customers per stage over time (made from lifecycle-series.ts' LifecycleSeries, published). */
export interface ReportLifecycleSeries {
  /** e.g. month labels `2011-01` */
  readonly periodLabels: readonly string[];
  /** one series per stage, counts aligned with `periodLabels` (null: suppressed) */
  readonly stages: readonly { readonly name: string; readonly counts: readonly (number | null)[] }[];
}

/** Retention of acquisition cohorts. */
export interface CohortRetention {
  /** unit of the period offsets (columns) */
  readonly periodUnit: 'week' | 'month' | 'quarter';
  readonly cohorts: readonly {
    /** e.g. `2011-01` */
    readonly label: string;
    /** customers acquired in the cohort; null: suppressed (retention all null then) */
    readonly customers: number | null;
    /** share in [0, 1] of the cohort that bought in period k after acquisition (k = 0: the acquisition period); null when not yet observed */
    readonly retention: readonly (number | null)[];
  }[];
}

/** One cross-sell rule, items as display names. */
export interface ReportCrossSellRule {
  readonly antecedent: readonly string[];
  readonly consequent: readonly string[];
  /** share of baskets with antecedent ∪ consequent */
  readonly support: number;
  readonly confidence: number; // P(consequent | antecedent)
  readonly lift: number; // confidence / P(consequent)
  readonly count?: number; // baskets with antecedent ∪ consequent
}

export interface CrossSellRules {
  /** what a basket is, e.g. `order` */
  readonly basket: string;
  /** baskets mined */
  readonly baskets?: number;
  readonly minSupport?: number;
  readonly minConfidence?: number;
  /** `minLift`: the least lift of a rule shown (never 1 or less); `lowLiftRules`: rules of enough support and confidence left out below it */
  readonly minLift?: number;
  readonly lowLiftRules?: number;
  /** best first; the report shows the first 15 */
  readonly rules: readonly ReportCrossSellRule[];
  /** which recommender wrote recommendations.csv and why (absent without an evaluation) */
  readonly recommender?: { readonly label: string; readonly reason: string; readonly k: number; readonly mapAtK: number; readonly baselineMapAtK: number };
  /** why the recommender was not evaluated and what recommendations.csv holds then (absent when it was evaluated) */
  readonly evaluationNote?: string;
}

/**
 * What personal data is held and how it is protected: the result of
 * `buildPrivacyReport` (`src/privacy/warehouse/privacy-report.ts`) plus notes on what
 * the run did (e.g. `customer ids pseudonymised at ingest`).
 */
export interface ReportPrivacy {
  readonly tables: PrivacyReport['tables'];
  readonly columnsByClass?: PrivacyReport['columnsByClass'];
  readonly keys?: PrivacyReport['keys'];
  readonly warnings?: readonly string[];
  readonly notes?: readonly string[];
}

/** The report's input. */
export interface ReportData {
  /** default `clvkit report` */
  readonly title?: string;
  /** where the data came from and its licence, as plain text (e.g. `UCI Online Retail, CC BY 4.0`) */
  readonly dataSource?: string;
  /** currency code or symbol for money (default: plain numbers) */
  readonly currency?: string;
  /** ISO time shown as the report's date (default: now) */
  readonly generatedAt?: string;
  readonly run: ReportRun;
  readonly customers: ReportCustomers;
  /** a few quarantined rows per reason, masked */
  readonly quarantineExamples?: readonly QuarantineExample[];
  readonly modelCard?: ReportModelCard | null;
  /** churn early warning and the honest tournament (run.json `learned`) */
  readonly churn?: ReportChurn | null;
  readonly segments?: RfmSegments | null;
  readonly clusters?: ClusterProfiles | null;
  readonly stages?: ReportLifecycleStages | null;
  readonly transitions?: ReportStageTransitions | null;
  readonly lifecycleSeries?: ReportLifecycleSeries | null;
  readonly cohorts?: CohortRetention | null;
  readonly rules?: CrossSellRules | null;
  readonly privacy?: ReportPrivacy | null;
}

/** A churn probability's scorecard on unseen customers (reliability bins may be withheld: null). */
export interface ReportChurnScorecard extends Omit<ChurnScorecard, 'reliability'> {
  readonly reliability: readonly { readonly lower: number; readonly upper: number; readonly count: number | null; readonly meanPredicted: number | null; readonly observedRate: number | null }[];
}

/** One decile of a lift table (run.json `learned…lift`): fields null when the decile is withheld. */
export interface ReportDecileLiftRow {
  readonly decile: number;
  readonly customers: number | null;
  readonly meanOutcome: number | null;
  readonly lift: number | null;
  readonly cumulativeGain: number | null;
}

/**
 * The learned card of a run (`src/pipeline/learned-step.ts`, run.json
 * `learned`): the churn classifier, its validation next to 1 − P(alive), and
 * the honest tournament when it ran. Only the fields below are read.
 */
export interface ReportChurn {
  /** absent with --no-churn (the honest tournament ran for the regularity check alone) */ readonly churn?: {
    readonly horizonDays: number; readonly trainedAsOf: string;
    /** how N was chosen, one clause (absent in run.json before --churn-days) */ readonly horizonReason?: string;
    /** the lowest probability banded high and medium; with `highShare` / `mediumShare` bands by rank (older run.json: fixed cut-offs) */ readonly bands: { readonly high: number | null; readonly medium: number | null; readonly highShare?: number; readonly mediumShare?: number };
    /** absent when no classifier was trained */ readonly model?: { readonly params: Readonly<Record<string, number | string>>; readonly bestIteration: number; readonly roundsTrained: number };
    readonly drivers: readonly { readonly feature: string; readonly value: number }[]; /** why no classifier was trained (one class in its labels): customers.csv's churn columns empty */ readonly scoresSkipped?: string;
    /** where churn_probability comes from, whose and why (churn-source.ts; absent in older run.json files: the learned model) */ readonly source?: 'learned' | 'btyd-no-purchase' | 'btyd-one-minus-p-alive'; readonly sourceModel?: string; readonly sourceReason?: string;
    readonly validation: {
      readonly learned: ReportChurnScorecard;
      readonly btydOneMinusPAlive: ReportChurnScorecard; /** P(no purchase in N days) of pAliveModel, the BTYD score written when the learned model loses (absent: MBG/CNBD-k, older run.json) */ readonly btydNoPurchase?: ReportChurnScorecard;
      /** whose P(alive) that is (absent in older run.json files: the BTYD value model's) */ readonly pAliveModel?: string;
      /** absent in run.json files written before the lift tables */
      readonly lift?: { readonly learned: readonly ReportDecileLiftRow[]; readonly btydOneMinusPAlive: readonly ReportDecileLiftRow[]; readonly btydNoPurchase?: readonly ReportDecileLiftRow[] };
    };
    readonly meanProbability: number;
  };
  readonly tournament?: {
    readonly chosen: string;
    readonly reason: string;
    readonly bestInHindsight: string;
    readonly innerCutoff?: string;
    readonly calibrationEnd?: string;
    readonly windows?: { readonly innerDays: number };
    /** holdout purchases by decile of the prediction (absent in older run.json files) */
    readonly lift?: { readonly chosen: readonly ReportDecileLiftRow[]; readonly btyd: readonly ReportDecileLiftRow[]; readonly btydLabel: string };
    readonly candidates: readonly {
      readonly label: string;
      readonly chosen: boolean;
      readonly family?: string;
      /** why its inner or final fit did not converge (absent: both converged, a learned model, or an older run.json) */
      readonly fitIssue?: string;
      readonly inner: { readonly mae: number; readonly totalRelativeError?: number; /** the inner window's repeat purchases (absent in older run.json) */ readonly actualTotal?: number };
      readonly holdout: { readonly mae: number; readonly totalRelativeError: number; readonly gini: number; readonly decileMape: number };
    }[];
  };
  /** present when the tournament's learned or MBG/CNBD-k winner wrote customer_scores (learned-scores.ts, regularity-scores.ts) */
  readonly scores?: { readonly label: string; readonly note: string; readonly labelDays?: number; readonly trainedAsOf?: string; /** MBG/CNBD-k's k */ readonly k?: number };
  /** MBG/CNBD-k won but its refit failed: why the value model's scores stay */ readonly scoresKept?: string;
  /** a BTYD model other than the value model won: the value model's scores stay, and this says so (absent in older run.json files) */ readonly valueModelScores?: string; /** why the tournament ran: asked for, or by the regularity check on a fit of steady buyers (absent in older run.json files) */ readonly tournamentRanFor?: 'asked' | 'steady-buyers';
}
