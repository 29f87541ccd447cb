/**
 * What a playbook run is asked (`RunPlaybookOptions`) and what it answers (`PlaybookPlan`: its rows, totals and
 * targeting), for `runPlaybook` (run-playbook.ts), the CLI, the API and the plan files.
 */
import type { Access } from '../privacy/access/access.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import type { GroupBalance } from './balance-summary.js';
import type { ScoreWarehouseFunction } from './ensure-derived-tables.js';
import type { PlaySkipKind } from './play-skip-kind.js';
import type { Playbook } from './playbook.js';
import type { SuppressionCounts } from './suppression-condition.js';
import type { UpliftTargetingModel } from './uplift-targeting.js';

export interface RunPlaybookOptions {
  readonly playbook: Playbook;
  readonly outDir: string;
  /** audience names are `<prefix><play>` (default `playbook-<send date>-`) */
  readonly prefix?: string;
  /**
   * first day a response counts, YYYY-MM-DD (default: the day after the last transaction). One within the data
   * backtests the playbook: the suppression rules, the uplift model's features and the measured lifts are those known
   * before it; one on or before the scores' date is noted (`onNote`)
   */
  readonly sendDate?: string;
  /** the caller is the HTTP API: a name clash names its `prefix` field and DELETE route, the notes and the targeting's reason its routes, not the CLI's flags and commands nor the warehouse's path */
  readonly api?: boolean;
  readonly seed: number;
  /** spend at most this on treated contacts: customers are taken by expected incremental value per unit of cost */
  readonly budget?: number;
  /**
   * what ranks customers for the budget: `auto` (default) the uplift model
   * learnt from past campaigns with control groups when one beats random
   * targeting, else value × P(alive); `value` always value × P(alive)
   */
  readonly ranking?: 'auto' | 'value';
  /** tokens of opted-out customers (a line of the list may give two: `optOutTokens`) */
  readonly optOut?: readonly string[];
  /** how many lines the opt-out list had, as its note says (default: the tokens of `optOut`) */
  readonly optOutLines?: number;
  readonly keyring: Keyring | null;
  readonly access: Access;
  readonly minGroupSize: number;
  readonly onNote?: (line: string) => void;
  /** scores a never-analysed warehouse first (`ensureDerivedTables`) */
  readonly score?: ScoreWarehouseFunction;
  /**
   * audience names taken by a run of the same inputs answer its stored plan (`reused: true`, nothing drawn again;
   * `reusePlaybookPlan`); taken by other inputs, they are refused naming them (`--idempotent`, the API's `"idempotent": true`)
   */
  readonly idempotent?: boolean;
}

export interface PlanRow {
  readonly play: string;
  readonly audience: string | null;
  readonly channel: string | null;
  readonly offer: string | null; // as the playbook says, but one naming recommendations.csv made true (recommendations-offer.ts)
  readonly where: string;
  /** customers the filter and suppression rules left for the play (before the budget) */
  readonly eligible: number;
  /** customers the filter matches who were not placed in an earlier play: `eligible` + the suppressed */
  readonly matched: number;
  /** the matched customers the suppression rules left out, each counted once under its first reason (`SUPPRESSION_REASONS`) */
  readonly suppressed: SuppressionCounts;
  readonly members: number;
  readonly treatment: number;
  readonly control: number;
  readonly costPerContact: number;
  /** costPerContact × treatment, in cents (money in the plan is rounded to cents) */
  readonly expectedCost: number;
  readonly lift: number;
  /** `playbook` (assumed), `measured: <audience> <from>…<to>`, or `playbook (measured: … too uncertain to replace it)` when the measured uplift's interval holds both 0 and the assumed lift */
  readonly liftSource: string;
  /** lift × predicted CLV of the treated × margin, in cents; null without CLV (frequency-only data, or no value models) */
  readonly expectedIncrementalValue: number | null;
  readonly expectedRoi: number | null;
  readonly file: string | null;
  /** how expectedIncrementalValue was reckoned: `lift × predicted CLV × margin`, or `uplift model × margin` */
  readonly valueSource: string;
  /** why the play drew no audience, in words */
  readonly skipped: string | null;
  /** the kind of `skipped` (`PlaySkipKind`), which `nothingDrawnReason` reads; null when the play drew an audience */
  readonly skipKind: PlaySkipKind | null;
  /** the balance of its audience's draw, as `audience create` measures it (`AudienceSummary.balance`); null for a skipped play */
  readonly balance: GroupBalance | null;
  readonly notes: readonly string[];
}

export interface PlaybookPlan {
  readonly playbook: string;
  readonly sendDate: string;
  /** the day the scores and stages describe the data to (as audience create's `scoresAsOf`); null before any analysis */
  readonly scoresAsOf: string | null;
  readonly seed: number;
  /** as given; the treated contacts' `expectedCost` never exceeds it (spent in whole units, given in cents) */
  readonly budget: number | null;
  readonly plays: readonly PlanRow[];
  readonly totals: {
    /** every customer (customer_summary's, and the prospects when the run knows some): members + Σ suppressed + notDrawn + matchedByNone */
    readonly customers: number;
    readonly members: number;
    /** customers eligible for some play but in no audience: only skipped plays match them, or the budget did not reach them */
    readonly notDrawn: number;
    /** customers no play's filter matches */
    readonly matchedByNone: number;
    readonly treatment: number;
    readonly expectedCost: number;
    readonly expectedIncrementalValue: number | null;
    readonly expectedRoi: number | null;
    /** customers left out of every play whose filter matched them (eligible for none), each counted once, under the reason of the first such play */
    readonly suppressed: SuppressionCounts;
  };
  readonly valueBasis: string;
  /** with a budget: what ranked the customers, and the uplift model with its Qini validation when one was used */
  readonly targeting: PlaybookTargeting | null;
  /**
   * every line the run said (`onNote`: the CLI's stderr, the API's `notes`), in order: stale scores, a send date on or
   * before the scores' date or far ahead, the opt-out list's match, what ranked the budget; a play's own notes are in
   * its `notes`. A plan that drew nothing ends them with `hint: ` and why (`nothingDrawnReason`), as `clvkit playbook
   * --json` ends its stderr
   */
  /** true: the plan of an earlier run with the same inputs, answered again (`idempotent`); false: drawn now */
  readonly reused: boolean;
  /** when the answer was drawn: the stored run's `created_at` when `reused`; null for a run now */
  readonly drawnAt: string | null;
  readonly warnings: readonly string[];
}

export interface PlaybookTargeting {
  /** `uplift model` (learnt from a past campaign), or the fallback: `value × P(alive)`, or `expected purchases × P(alive)` when no candidate has a predicted CLV (no order values) */
  readonly basis: 'uplift model' | 'value × P(alive)' | 'expected purchases × P(alive)';
  readonly reason: string;
  readonly upliftModel: UpliftTargetingModel | null;
  /** candidates left out because the model expects no gain from contacting them (τ̂ ≤ 0) */
  readonly notProfitable: number;
}
