import type { GroupBalance } from './balance-summary.js';
import type { SuppressionCounts } from './suppression-condition.js';

/** What a draw answers (`createAudience`: `audience create --json`, `POST /api/audiences`; a playbook's play). */
export interface AudienceSummary {
  readonly name: string;
  readonly where: string;
  readonly play: string | null;
  readonly members: number;
  /** customers the filter matched: `members` + the suppressed */
  readonly matched: number;
  /** the matched customers the suppression rules left out, each under its first reason */
  readonly suppressed: SuppressionCounts;
  readonly treatment: number;
  readonly control: number;
  readonly holdout: number;
  readonly seed: number;
  readonly assignment: string;
  readonly sendDate: string;
  /** days from the send date over which the campaign is to be measured */
  readonly measureDays: number;
  readonly scoresAsOf: string | null;
  /** mean predicted CLV of the treatment group when drawn (null without value models) */
  readonly meanPredictedClv: number | null;
  readonly file: { readonly path: string; readonly format: string; readonly rows: number; readonly columns: readonly string[]; readonly group: string } | null;
  /**
   * how alike the groups were before the send date, over the `measureDays` before it (`groupBalance`): redraw with
   * another seed before sending when a covariate is beyond chance; null when it could not be measured (said in a note:
   * the draw is stored)
   */
  readonly balance: GroupBalance | null;
  /** true when the name was taken by an audience drawn with the same inputs, answered as stored (`idempotent`); false for a draw */
  readonly reused: boolean;
  /** when the answer was drawn: the stored audience's `created_at` when `reused`; null for a draw (now) */
  readonly drawnAt: string | null;
  /**
   * every line the draw said (`onNote`: the CLI's stderr, the API's `notes`), in order: stale scores, the send date,
   * a treatment group in a running campaign's control group, a balance not measured…
   */
  readonly warnings: readonly string[];
}
