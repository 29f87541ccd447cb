/**
 * A customer's lifecycle stage at the end of each month, for the 360: the
 * same classifier the lifecycle step uses (`classifyLifecycleStages` on the
 * purchase histories, the run's grain and thresholds), applied at month ends.
 * Past month ends use the purchase cadence only (P(alive) as of a past day is
 * not stored); the last entry is the stage the run assigned.
 *
 * The snapshots of the whole base are computed once per run (the population
 * gap g₀ depends on every customer) and kept as one byte per customer and month.
 */
import { addDays, dayNumber, monthIndex, monthStart } from '../../core/calendar-days.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { tableExists } from '../../features/table-exists.js';
import { classifyLifecycleStages } from '../../lifecycle/classify-lifecycle-stages.js';
import { LIFECYCLE_STAGES, resolveLifecycleThresholds } from '../../lifecycle/lifecycle-stage-rules.js';
import { loadPurchaseHistories } from '../../lifecycle/purchase-histories.js';
import type { CustomerDetailResponse } from './read-api-types.js';
import type { ServedRun } from './read-report-cache.js';

/** Most month ends in a history (the newest ones). */
export const MAX_HISTORY_MONTHS = 24;

interface StageSnapshots {
  readonly index: ReadonlyMap<string, number>;
  readonly periods: readonly string[];
  /** snapshots[p][i]: stage code of customer i at the end of period p (negative: not a customer yet) */
  readonly snapshots: readonly Int8Array[];
}

const cache = new WeakMap<ServedRun, Promise<StageSnapshots>>();

async function computeSnapshots(warehouse: Warehouse, run: ServedRun): Promise<StageSnapshots> {
  const asOf = run.summary.parameters.asOf;
  // a run.json written before lapseMinDays staged without the floor: its months are read under its own rule
  const thresholds = resolveLifecycleThresholds({ lapseMinDays: 0, ...(run.summary.segments?.stages.thresholds ?? {}) });
  const histories = await loadPurchaseHistories(warehouse, { end: asOf, grain: run.summary.parameters.grain });
  const last = monthIndex(asOf);
  const periods: string[] = [];
  const snapshots: Int8Array[] = [];
  for (let m = last - MAX_HISTORY_MONTHS + 1; m < last; m++) {
    const end = addDays(monthStart(m + 1), -1);
    periods.push(end.slice(0, 7));
    snapshots.push(classifyLifecycleStages(histories, dayNumber(end), thresholds).stage);
  }
  return { index: new Map(histories.customerIds.map((id, i) => [id, i])), periods, snapshots };
}

/** The customer's stage per month end (oldest first, months before they were a customer left out), then the run's stage as of its date. */
export async function readStageHistory(warehouse: Warehouse, run: ServedRun, token: string): Promise<CustomerDetailResponse['stageHistory']> {
  if (!(await tableExists(warehouse, 'customer_stages')) || !(await tableExists(warehouse, 'transactions'))) return [];
  let snapshots = cache.get(run);
  if (!snapshots) {
    snapshots = computeSnapshots(warehouse, run);
    cache.set(run, snapshots);
    snapshots.catch(() => cache.delete(run));
  }
  const { index, periods, snapshots: byPeriod } = await snapshots;
  const history: { period: string; stage: string }[] = [];
  const i = index.get(token);
  if (i !== undefined) {
    byPeriod.forEach((stages, p) => {
      const code = stages[i]!;
      if (code >= 0) history.push({ period: periods[p]!, stage: LIFECYCLE_STAGES[code]! });
    });
  }
  const d = warehouse.dialect;
  const [now] = await warehouse.query(`SELECT stage FROM customer_stages WHERE customer_id = ${d.literal(token)}`);
  if (now && now.stage !== null) history.push({ period: `${run.summary.parameters.asOf} (run)`, stage: String(now.stage) });
  return history;
}
