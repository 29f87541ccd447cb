import { addDays } from '../core/calendar-days.js';
import { NotFoundError } from '../core/errors/not-found-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { readAudience } from './audience-store.js';
import { controlGroupWarnings } from './campaign-control-warnings.js';
import { estimateShareUplift, type UpliftEstimate } from './estimate-uplift.js';
import { costPerIncrementalBuyerOf, measureMeanUplifts, responseValues, roiOf, UPLIFT_METHOD, type CampaignEvaluation, type StoredBeforeExactTests } from './evaluate-campaign.js';

/** Relative difference below which a recomputed mean is the stored one (SQL's avg against a sum in JavaScript: ~1e-15). */
const SAME_MEAN = 1e-9;

const sameMean = (a: number, b: number) => Math.abs(a - b) <= SAME_MEAN * Math.max(1, Math.abs(a), Math.abs(b));

type MeanUplifts = ReturnType<typeof measureMeanUplifts>;

/**
 * The purchases, revenue and margin of an evaluation measured again with today's tests from the members' purchases in
 * its window — when those are still the inputs it was measured on: the audience is held with the same group sizes and
 * its members' purchases give the stored means. Otherwise why not.
 */
async function measureAgain(warehouse: Warehouse, e: CampaignEvaluation): Promise<{ readonly measured: MeanUplifts } | { readonly reason: string }> {
  let audience;
  try {
    audience = await readAudience(warehouse, e.audience);
  } catch (error) {
    if (error instanceof NotFoundError) return { reason: `the audience ${e.audience} is no longer held` };
    throw error;
  }
  if (audience.treatment !== e.groups.treatment || audience.control !== e.groups.control) {
    // (not how many are left: read by viewers, a group may have fallen below the k-floor)
    return { reason: 'members of its audience were erased or purged since' };
  }
  const d = warehouse.dialect;
  const active = await responseValues(warehouse, d.literal(e.audience), d.timestamp(`${e.window.from}T00:00:00`), d.timestamp(`${addDays(e.window.to, 1)}T00:00:00`), e.marginShare ?? 1);
  const stored = [e.purchases, e.revenue, e.margin];
  for (const g of ['treatment', 'control'] as const) {
    for (let o = 0; o < stored.length; o++) {
      const estimate = stored[o];
      if (!estimate) continue;
      const mean = active[g][o]!.reduce((a, v) => a + v, 0) / e.groups[g];
      if (!sameMean(mean, estimate[g])) return { reason: `its members' purchases in the window no longer give the stored means (files ingested or dropped since)` };
    }
  }
  return { measured: measureMeanUplifts(active, e.groups, e.revenue !== null) };
}

const asWelch = (u: UpliftEstimate | null): UpliftEstimate | null => (u === null || u.test !== undefined ? u : { ...u, test: 'welch' });

/**
 * An evaluation as stored in `campaign_evaluations`, for reading back (campaign compare, run.json and the report, the
 * API's campaign results, a playbook's measured lift). One stored since campaign evaluate says each estimate's test is
 * returned as it is. One stored before (Welch's t throughout, no `test`: its p-values and intervals took a control
 * group without buyers as certain — 15 of 259 treated against 0 of 29 control buyers was p = 8.9e-5) is measured again
 * where its inputs are there, and marked where they are not (`storedBeforeExactTests` says which):
 *
 * - buyers (and a responses file's response rate): always, from the stored counts (share × group size), by Fisher's
 *   exact test, Newcombe's and MOVER-R Wilson intervals (`estimateShareUplift`), with the control group's warning and
 *   the cost per incremental buyer only where the new interval excludes 0;
 * - purchases, revenue, margin and the ROI interval: by the permutation test and the two-part bootstrap, from the
 *   members' purchases in the window, when the audience is held with the same group sizes and those purchases give the
 *   stored means (the same inputs); otherwise they stay as stored, `test: 'welch'`, and the note says why and to
 *   evaluate the campaign again.
 *
 * Nothing is written: the stored record stays as it was, and the same warehouse gives the same figures (seeded). One
 * stored before the balance check has no `balance` (the type says it may be absent), and none is measured on reading:
 * it comes back without one.
 *
 * Example: `await readStoredEvaluation(wh, JSON.parse(row.result))` → `{ buyers: { pValue: 0.378, test: 'fisher-exact', … }, storedBeforeExactTests: { recomputed: ['buyers', 'purchases', …], welch: [], note: '…' }, … }`
 */
export async function readStoredEvaluation(warehouse: Warehouse, e: CampaignEvaluation): Promise<CampaignEvaluation> {
  // every estimate of an evaluation says its test since a3f33b2; none did before
  if (e.purchases.test !== undefined) return e;
  const { treatment: treated, control: controls } = e.groups;
  const treatedBuyers = Math.round(e.buyers.treatment * treated);
  const controlBuyers = Math.round(e.buyers.control * controls);
  const buyers = estimateShareUplift({ n: treated, count: treatedBuyers }, { n: controls, count: controlBuyers });
  const recomputed = ['buyers'];
  const responses = e.responses ? { ...e.responses, responseRate: estimateShareUplift({ n: treated, count: e.responses.treatment.responders }, { n: controls, count: e.responses.control.responders }) } : undefined;
  if (responses) recomputed.push('responseRate');
  const again = await measureAgain(warehouse, e);
  const means = 'measured' in again ? again.measured : { purchases: asWelch(e.purchases)!, revenue: asWelch(e.revenue), margin: asWelch(e.margin) };
  const meanKeys = ['purchases', ...(e.revenue ? ['revenue'] : []), ...(e.margin ? ['margin'] : [])];
  let { roi, roiInterval } = e;
  const roiKeys = e.roi !== null ? ['roi'] : [];
  if ('measured' in again) {
    if (e.cost && e.cost.total > 0 && means.margin) ({ roi, roiInterval } = roiOf(means.margin, e.cost.total));
    recomputed.push(...meanKeys, ...roiKeys);
  }
  const unavailable: Record<string, string> = { ...e.unavailable };
  let costPerIncrementalBuyer = e.costPerIncrementalBuyer;
  if (e.cost) {
    const perBuyer = costPerIncrementalBuyerOf(buyers, e.cost.total);
    costPerIncrementalBuyer = 'value' in perBuyer ? perBuyer.value : null;
    if ('value' in perBuyer) delete unavailable.costPerIncrementalBuyer;
    else unavailable.costPerIncrementalBuyer = perBuyer.unavailable;
  }
  const window = `${e.window.from} … ${e.window.to}`;
  const shares = `buyers${responses ? ' and the response rate' : ''}`;
  const named = (keys: readonly string[]) => keys.map((k) => (k === 'roi' ? 'the ROI interval' : k)).join(', ').replace(/, ([^,]*)$/, ' and $1');
  const stored: StoredBeforeExactTests = 'measured' in again
    ? {
        recomputed,
        welch: [],
        note: `evaluated before campaign evaluate used exact tests (Welch's t throughout); measured again on reading: ${shares} from the stored counts (Fisher's exact test, Newcombe's interval), ${named([...meanKeys, ...roiKeys])} from the members' purchases in ${window}, which give the stored means (permutation test, two-part bootstrap)`,
      }
    : {
        recomputed,
        welch: [...meanKeys, ...roiKeys],
        notRecomputed: again.reason,
        note: `evaluated before campaign evaluate used exact tests: ${shares} measured again from the stored counts (Fisher's exact test, Newcombe's interval); ${named([...meanKeys, ...roiKeys])} are Welch's t as stored, which takes a control group with few buyers or none as known exactly — ${again.reason}: evaluate the campaign again over ${window} to measure them with the permutation test`,
      };
  return {
    ...e,
    purchases: means.purchases,
    buyers,
    revenue: means.revenue,
    margin: means.margin,
    roi,
    roiInterval,
    costPerIncrementalBuyer,
    predictedClvChange: asWelch(e.predictedClvChange),
    ...(responses ? { responses } : {}),
    method: 'measured' in again ? UPLIFT_METHOD : `${shares} measured again on reading by Fisher's exact test, Newcombe's hybrid score interval for the difference and MOVER-R Wilson for the ratio; the rest as stored: ${e.method}`,
    storedBeforeExactTests: stored,
    unavailable,
    warnings: [...e.warnings, ...controlGroupWarnings(treated, treatedBuyers, controls, controlBuyers, buyers)],
  };
}
