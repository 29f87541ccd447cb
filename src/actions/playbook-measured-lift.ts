import type { Warehouse } from '../engine/warehouse.js';
import type { CampaignEvaluation } from './evaluate-campaign.js';
import { readStoredEvaluation } from './stored-evaluation.js';
import { upliftVerdict } from './uplift-verdict.js';
import { pEquals } from './format-p-value.js';

/**
 * The relative uplift measured by the newest evaluated campaign of this play (revenue, else purchases), or null; with
 * `measuredBefore` (a backtest's send date), only of an evaluation whose window ended before that day. It replaces the
 * playbook's `assumed` lift only where it tells something: it is an effect as evaluate counts one (its 95% interval
 * excludes 0 and its test rejects 0: `upliftVerdict`), or its interval excludes the assumed lift.
 * One that holds both (a small control group: +8.8% [−92.6%, +1506.5%]) keeps the assumption, and the source says why
 * — its point estimate is noise, and a budget ranked by it would learn from chance. So does one evaluated before the
 * exact tests that could not be measured again (`readStoredEvaluation`): Welch's interval took a control group with
 * few buyers or none as certain.
 */
export async function measuredLift(warehouse: Warehouse, play: string, assumed: number, measuredBefore: string | null): Promise<{ lift: number; source: string } | null> {
  const d = warehouse.dialect;
  // window_to is the window's last day (evaluate-campaign.ts), as findUpliftTargeting reads it
  const known = measuredBefore === null ? '' : ` AND e.window_to < ${d.timestamp(`${measuredBefore}T00:00:00`)}`;
  const [row] = await warehouse.query(
    `SELECT e.audience, e.result FROM campaign_evaluations e JOIN audiences a ON a.name = e.audience WHERE a.play = ${d.literal(play)}${known} ORDER BY e.evaluated_at DESC LIMIT 1`,
  );
  if (!row) return null;
  // one stored before the exact tests is measured again where its inputs are there (readStoredEvaluation)
  const result = await readStoredEvaluation(warehouse, JSON.parse(String(row.result)) as CampaignEvaluation);
  const measured = result.revenue?.relativeUplift != null ? result.revenue : result.purchases;
  if (measured.relativeUplift === null) return null;
  const name = `${String(row.audience)} ${result.window.from}…${result.window.to}`;
  const interval = measured.relativeUpliftInterval ?? null;
  const pct = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}%`;
  if (measured.test === 'welch') {
    // Welch's interval took a control group with few buyers or none as certain: it cannot tell the lift from chance
    const why = result.storedBeforeExactTests?.notRecomputed;
    return { lift: assumed, source: `playbook (measured: ${name} ${pct(measured.relativeUplift)} by Welch's t, evaluated before the exact tests${why ? ` and not measured again: ${why}` : ''}; evaluate the campaign again to use it)` };
  }
  // "not 0" as evaluate, compare and the report say it (uplift-verdict.ts): the interval excludes 0 and the test rejects
  const maybeZero = upliftVerdict(measured) === 'not shown';
  if (interval === null || (maybeZero && interval[0] <= assumed && interval[1] >= assumed)) {
    const bounds = interval ? ` [${pct(interval[0])}, ${pct(interval[1])}]` : '';
    const range = interval === null ? ' has no interval' : interval[0] <= 0 && interval[1] >= 0 ? `${bounds} holds both 0 and the assumed ${pct(assumed)}` : `${bounds} holds the assumed ${pct(assumed)}, and its test does not reject 0 (${pEquals(measured.pValue)})`;
    return { lift: assumed, source: `playbook (measured: ${name} ${pct(measured.relativeUplift)}${range}: too uncertain to replace it)` };
  }
  return { lift: measured.relativeUplift, source: `measured: ${name}` };
}
