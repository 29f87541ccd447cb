import { addDays } from '../../core/calendar-days.js';
import { outOfScaleCostWarning, queryAcquisitionCostScale } from './acquisition-cost-out-of-scale.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS } from '../../lifecycle/lifecycle-stage-rules.js';
import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { runLifecycle } from '../run-lifecycle.js';
import type { Stage } from '../stage.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { lapsedByRfmButActiveWarning, queryLapsedByRfmButActive } from './lapsed-rfm-but-active.js';
import { newByRfmButEstablishedWarning, queryNewByRfmButEstablished } from './new-rfm-but-established.js';
import { ONE_BY_CONSTRUCTION, oneTimeAliveWarning, queryOneTimeAliveSums } from './one-time-buyers-alive.js';
import { runWords } from '../../core/run-words.js';
import { lifecycleStageDetail } from './stage-details.js';

/** P(alive) at or above this is "alive by the value model" for churnedButAliveWarning. */
export const ALIVE_BY_MODEL = 0.9;

/** A tenth or more of the churned, and at least the smallest group shown (false for NaN counts). */
function aliveAreMany(churned: number, alive: number, minGroupSize: number): boolean {
  return alive >= minGroupSize && alive >= 0.1 * churned;
}

/**
 * A warning when many customers staged churned are alive by the value model (P(alive) ≥ ALIVE_BY_MODEL): slow buyers
 * whose usual gap exceeds the stage rules' `churnedAfterDays`, whom a win-back offer to "churned" would wrongly target. Null when
 * fewer than a tenth of the churned (or fewer than the minimum group size) are.
 *
 * Example: 742 of 1,704 churned on a ten-year shop → "742 of the 1,704 customers staged churned …"
 */
export function churnedButAliveWarning(churned: number, alive: number, minGroupSize: number): string | null {
  if (!aliveAreMany(churned, alive, minGroupSize)) return null;
  return `${alive.toLocaleString('en-US')} of the ${churned.toLocaleString('en-US')} customers staged churned (no purchase for more than ${DEFAULT_LIFECYCLE_THRESHOLDS.churnedAfterDays} days, or far past their usual gap) are alive by the value model (P(alive) ≥ ${ALIVE_BY_MODEL}): slow buyers whom the stage rules call churned; choose them by p_alive, not by stage, before a win-back or last offer`;
}

/** What the churned-but-alive advice is decided on (`queryChurnedAliveCounts`). */
export interface ChurnedAliveCounts {
  /** customers staged churned */
  readonly churned: number;
  /** of them, P(alive) ≥ ALIVE_BY_MODEL */
  readonly alive: number;
  /** of `alive`, P(alive) = 1 (ONE_BY_CONSTRUCTION): by the model's construction, not evidence */
  readonly aliveAtOne: number;
  /** of `aliveAtOne`, one-time buyers (x = 0) */
  readonly oneTimeAtOne: number;
  /** every customer with a P(alive) has P(alive) = 1: the model has no dropout on this data */
  readonly everyoneAtOne: boolean;
}

/** The counts of customer_stages (with customer_summary's frequency) that `churnedButAliveAdvice` decides on. */
export async function queryChurnedAliveCounts(warehouse: Warehouse): Promise<ChurnedAliveCounts> {
  const churned = "g.stage = 'churned'";
  const one = `g.p_alive >= ${ONE_BY_CONSTRUCTION}`;
  const [row] = await warehouse.query(
    `SELECT sum(CASE WHEN ${churned} THEN 1 ELSE 0 END) AS churned, sum(CASE WHEN ${churned} AND g.p_alive >= ${ALIVE_BY_MODEL} THEN 1 ELSE 0 END) AS alive, ` +
      `sum(CASE WHEN ${churned} AND ${one} THEN 1 ELSE 0 END) AS at_one, sum(CASE WHEN ${churned} AND ${one} AND s.frequency = 0 THEN 1 ELSE 0 END) AS one_time_at_one, ` +
      `min(g.p_alive) AS lowest FROM customer_stages g LEFT JOIN customer_summary s ON s.customer_id = g.customer_id`,
  );
  const lowest = row?.lowest === null || row?.lowest === undefined ? NaN : Number(row.lowest);
  return { churned: Number(row?.churned ?? 0), alive: Number(row?.alive ?? 0), aliveAtOne: Number(row?.at_one ?? 0), oneTimeAtOne: Number(row?.one_time_at_one ?? 0), everyoneAtOne: lowest >= ONE_BY_CONSTRUCTION };
}

/**
 * The lifecycle stage's word on the churned whom the value model holds alive: `churnedButAliveWarning` on the churned
 * whose P(alive) ≥ ALIVE_BY_MODEL comes from their purchases — not those at 1 by the model's construction, and none
 * when the model has no dropout (P(alive) ≡ 1), nor when the run's own validation (`pAliveRanks`: the churn early
 * warning's scorecard of 1 − P(alive)) did not show it ranking churners better than chance — its AUC's interval reaching
 * 0.5 (Online Retail: a BG/NBD fit with almost no dropout left repeat buyers at 0.94–0.997, AUC 0.500). When only those
 * would have carried the advice, one line says that P(alive) cannot rank these customers instead, lest p_alive be
 * trusted; null when neither count reaches the threshold.
 *
 * Example: a synthetic shop (1,500 customers, seed 11) with BG/NBD, 732 of the 1,046 churned at P(alive) 1, all one-time
 * buyers → "P(alive) cannot rank the 1,046 customers staged churned: 732 of them have P(alive) = 1 by the model’s
 * construction, not by their purchases (732 one-time buyers: BG/NBD gives every one-time buyer P(alive) = 1, however
 * long their silence); p_alive does not tell which of them still buy"
 */
export function churnedButAliveAdvice(c: ChurnedAliveCounts, minGroupSize: number, pAliveRanks?: { readonly auc: number; readonly aucInterval: readonly [number, number] }): string | null {
  // (an AUC of NaN — nobody or everybody churned in the validation window — says nothing either way)
  // an interval that cannot be estimated (evaluate-churn-scores.ts: NaN bounds) leaves the AUC itself to say it
  const noInterval = pAliveRanks !== undefined && !Number.isFinite(pAliveRanks.aucInterval[0]);
  const chance = pAliveRanks !== undefined && (noInterval ? pAliveRanks.auc <= 0.5 : pAliveRanks.aucInterval[0] <= 0.5);
  const evidence = c.everyoneAtOne || chance ? 0 : c.alive - c.aliveAtOne;
  const warning = churnedButAliveWarning(c.churned, evidence, minGroupSize);
  if (warning || !aliveAreMany(c.churned, c.alive, minGroupSize)) return warning;
  const churned = `the ${c.churned.toLocaleString('en-US')} customers staged churned`;
  if (c.everyoneAtOne) return `P(alive) cannot rank ${churned}: the value model has no dropout on this data, so P(alive) is 1 for every customer; p_alive does not tell which of them still buy`;
  if (chance) {
    const [low, high] = pAliveRanks!.aucInterval;
    const interval = noInterval ? ', interval n/a' : ` [${low.toFixed(3)}, ${high.toFixed(3)}]`;
    return `P(alive) cannot rank ${churned}: in this run's validation 1 − P(alive) was not shown to rank churners better than chance (AUC ${pAliveRanks!.auc.toFixed(3)}${interval}; of the model fitted up to the calibration end, not of the refit on all data whose p_alive customers.csv carries); p_alive does not tell which of them still buy`;
  }
  const oneTime = c.oneTimeAtOne > 0 ? ` (${c.oneTimeAtOne.toLocaleString('en-US')} one-time buyers: BG/NBD gives every one-time buyer P(alive) = 1, however long their silence)` : '';
  return `P(alive) cannot rank ${churned}: ${c.aliveAtOne.toLocaleString('en-US')} of them have P(alive) = 1 by the model’s construction, not by their purchases${oneTime}${evidence > 0 ? `, and ${evidence.toLocaleString('en-US')} more P(alive) ≥ ${ALIVE_BY_MODEL}` : ''}; p_alive does not tell which of them still buy`;
}

/** Lifecycle stages, transitions, cohorts and KPIs. */
export const lifecycleStage: Stage<AnalysisContext> = {
  name: 'lifecycle',
  reads: ['transactions', 'customer_summary', 'customer_rfm', 'customer_value_tiers', 'customer_clusters'],
  writes: ['customer_stages', 'customer_cohorts'],
  skip: (context) => context.options.skipSegments === true,
  async run(context) {
    const valueModel = context.results.valueModel;
    const result = await runLifecycle(context.warehouse, {
      asOf: requireResult(context, 'asOf'),
      grain: context.grain,
      scoresTable: valueModel ? 'customer_scores' : null,
      validationFrom: valueModel ? addDays(valueModel.calibrationEnd, 1) : null,
      orderValues: requireResult(context, 'orderValues'),
    });
    context.results.lifecycle = result;
    if (valueModel) {
      // the stage rules call a customer churned after churnedAfterDays without a purchase whatever their usual gap; the value model may disagree
      // (counting only the P(alive) that comes from the purchases: see churnedButAliveAdvice)
      // (and not when the churn early warning's validation did not show 1 − P(alive) ranking better than chance)
      const pAliveRanks = context.results.learned?.churn?.validation.btydOneMinusPAlive;
      const warning = churnedButAliveAdvice(await queryChurnedAliveCounts(context.warehouse), context.privacy.minGroupSize, pAliveRanks);
      if (warning) context.warnings.push(warning);
      // and how much predicted CLV BG/NBD puts on the customers without a repeat purchase, alive by its construction
      // (not when a learned winner rewrote the predicted CLV: then it is not BG/NBD's)
      const scoredBy = context.results.learned?.scores ? null : (context.results.scoresModel?.model ?? null);
      const oneTime = oneTimeAliveWarning(await queryOneTimeAliveSums(context.warehouse), { scoredBy, comparison: valueModel.comparison }, context.privacy.minGroupSize, runWords(context.options.api));
      if (oneTime) context.warnings.push(oneTime);
    }
    // an acquisition cost far beyond every customer's value (a cost in cents, a typo): the KPIs average it
    const costs = outOfScaleCostWarning(await queryAcquisitionCostScale(context.warehouse, Boolean(valueModel)), context.privacy.minGroupSize);
    if (costs) context.warnings.push(costs);
    // RFM's long-gone segment names on customers the stages call active (a shop of steady buyers)
    const lapsedActive = lapsedByRfmButActiveWarning(await queryLapsedByRfmButActive(context.warehouse), context.privacy.minGroupSize);
    if (lapsedActive) context.warnings.push(lapsedActive);
    // and its newcomer segment names on customers of long standing (a shop where everybody buys often)
    const newEstablished = newByRfmButEstablishedWarning(await queryNewByRfmButEstablished(context.warehouse), context.privacy.minGroupSize);
    if (newEstablished) context.warnings.push(newEstablished);
    return lifecycleStageDetail(result.stages.stages.filter((x) => x.customers > 0).length, result.cohorts.cohorts.length);
  },
};
