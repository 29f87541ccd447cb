import type { PurchaseGrain } from '../features/customer-summary.js';
import type { IngestOptions } from '../ingest/ingest-files.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';
import type { TrackingAge } from '../core/tracking-age.js';
import type { PatternOptions } from '../cross-sell/patterns-step.js';
import type { ProgressEvent } from './run-stages.js';
import type { StorageEvent } from './stored-analysis.js';
import type { ChallengerName } from './tournament-candidates.js';
import type { PiiRole } from '../privacy/access/classification.js';

/** Options of `analyze` (library) and `clvkit analyze` (CLI). */
export interface AnalyzeOptions extends Omit<IngestOptions, 'onStep'> {
  /** transaction files to ingest first (none: analyse what the warehouse holds) */
  files?: readonly string[];
  /** event files (views, searches, cart edits, logins) to ingest first (`--events`) */
  eventFiles?: readonly string[];
  /** customer profile files to ingest first (`--customers`) */
  customerFiles?: readonly string[];
  /** inactivity gap that splits events into sessions where no session id is given (default 30 minutes) */
  sessionGapMinutes?: number;
  /** ingest the bundled demo data */
  demo?: boolean;
  /** warehouse file; ':memory:' for a one-shot run */
  db: string;
  /** folder for customers.csv and run.json */
  outDir: string;
  /** last day of the analysis window, YYYY-MM-DD (default: the last purchase day in the data) */
  asOf?: string;
  timeUnit?: TimeUnit;
  grain?: PurchaseGrain;
  /** holdout length for choosing the value model (default: a third of the span, 28–365 days) */
  holdoutDays?: number;
  /** force this purchase model instead of the tournament's choice */
  model?: PurchaseModelName;
  /** age convention of the model card's tracking curves (default `last-day`; `next-day` as lifetimes and R BTYD) */
  trackingAge?: TrackingAge;
  /** CLV: horizon, annual discount rate, margin share (defaults 12, 0.1, 1) */
  horizonMonths?: number;
  discountRatePerYear?: number;
  margin?: number;
  /** skip the value models (ingest, summary and headline only) */
  skipModels?: boolean;
  /** skip the churn early warning (customer_churn, run.json `learned`) */
  skipChurn?: boolean;
  /**
   * N of the churn early warning, "no purchase in the next N days" (`--churn-days`, `churnDays` of POST /api/runs):
   * the churn labels, customers.csv's churn_probability and the churn metrics; default the holdout length when the
   * windows hold it, else the longest that fits (pipeline/churn-horizon.ts). A value they cannot hold is refused.
   */
  churnDays?: number;
  /** also run the honest tournament with the learned candidates (slower; run.json `learned.tournament`) */
  learnedTournament?: boolean;
  /**
   * when the value model's fit settles on the boundary of steady buyers (everyone at one purchase rate: how regular
   * buyers look to the BTYD models), run the honest tournament with MBG/CNBD-k as its only challenger even without
   * `learnedTournament` (default true; `--no-regularity-check`, or `"regularityCheck": false` in `POST /api/runs`, turns it off)
   */
  regularityCheck?: boolean;
  /** the honest tournament's challengers (MBG/CNBD-k and learned models by name; default all; the BTYD models always take part) */
  tournamentCandidates?: readonly ChallengerName[];
  /** cross-sell rules, sequences and recommendations (skipped when the data has no products) */
  patterns?: Omit<PatternOptions, 'recommendationsCsv' | 'evaluationCutoff' | 'until' | 'originalIds'>;
  skipPatterns?: boolean;
  /** no report.html */
  skipReport?: boolean;
  /** no RFM segments, value tiers, clusters, lifecycle stages, cohorts */
  skipSegments?: boolean;
  /** number of behaviour clusters, or 'auto' (silhouette over 2..10) */
  clusters?: number | 'auto';
  /** add the original customer ids to customers.csv (role admin; audited as a re-identification) */
  revealIds?: boolean;
  /** smallest group an aggregate may describe (default 5) */
  minGroupSize?: number;
  /**
   * started through the HTTP API (`POST /api/runs`): what the run says names the request's fields (`asOf`,
   * `"regularityCheck": false`: core/run-words.ts) and the routes (`POST /api/orders`), not the CLI's flags and
   * commands, nor the warehouse's file
   */
  api?: boolean;
  /** the personal data columns customers.csv may show the role (default every one held); [] for none, as a server's runs write it */
  exportPii?: readonly PiiRole[];
  /** progress: called when a step starts and when it ends */
  onProgress?: (event: ProgressEvent) => void;
  /** the warehouse's analysis: called when the run's stages start (with the analysis it holds) and when this run's is stored */
  onStorage?: (event: StorageEvent) => void;
  /**
   * Stops the run (the CLI's Ctrl-C): its ingest as `IngestOptions.signal`
   * says (files committed before stay), then its stages at their next
   * statement; the tables it staged are dropped, the warehouse keeps its
   * previous analysis, and the run throws an `InterruptedError`. Aborted
   * once the swap has begun, the run ends as it would have
   * (staged-analysis.ts).
   */
  signal?: AbortSignal;
}
