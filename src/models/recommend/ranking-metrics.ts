/**
 * Top-k ranking metrics of recommendations against what customers actually
 * bought in a later (test) period.
 *
 * Notation: for customer u, R(u) = the recommended list (best first), truncated
 * to its first k items R_k(u); T(u) = the set of items u bought in the test
 * period; rel(r) = 1 when the r-th recommended item is in T(u);
 * hits_r(u) = Σ_{q ≤ r} rel(q); hits(u) = hits_k(u) = |R_k(u) ∩ T(u)|.
 * Customers evaluated: U = { u : |T(u)| > 0 } (optionally also restricted by
 * `include`). A short list (|R(u)| < k) is not padded and still divides by k.
 *   precision@k = mean_{u∈U} hits(u) / k
 *   recall@k    = mean_{u∈U} hits(u) / |T(u)|
 *   hitRate@k   = mean_{u∈U} 1[hits(u) > 0]
 *   MAP@k       = mean_{u∈U} AP@k(u),
 *   AP@k(u)     = (1 / min(k, |T(u)|)) · Σ_{r=1}^{k} rel(r) · hits_r(u) / r
 * (the normalisation of the common "apk" definition, e.g. Kaggle / ml_metrics:
 * AP@k = 1 exactly when the first min(k, |T|) recommendations are all hits).
 * All four are NaN when U is empty. The means are exact sums rounded once (`ExactSum`): customers come in the order of
 * their pseudonymous tokens, which the key sets, and a running sum's last digits would follow it.
 */
import { UserError } from '../../core/errors/user-error.js';
import { ExactSum } from '../../core/exact-sum.js';
import { type Baskets, countBaskets, validateBaskets } from '../patterns/baskets.js';
import type { Recommendations } from './recommendations.js';

export interface RankingMetrics {
  readonly k: number;
  /** |U|: customers evaluated */
  readonly nCustomers: number;
  readonly precisionAtK: number;
  readonly recallAtK: number;
  readonly hitRateAtK: number;
  readonly mapAtK: number;
}

export interface RankingMetricOptions {
  /** cut-off k (positive integer) */
  readonly k: number;
  /** per customer: 1 to evaluate (default all customers with test items) */
  readonly include?: Uint8Array;
}

export function computeRankingMetrics(recommendations: Recommendations, actual: Baskets, options: RankingMetricOptions): RankingMetrics {
  const k = options.k;
  if (!Number.isInteger(k) || k < 1) throw new UserError(`k must be a positive integer, got ${k}`);
  validateBaskets(actual, 'test items');
  const nCustomers = recommendations.nCustomers;
  if (countBaskets(actual) !== nCustomers) {
    throw new UserError(`test items have ${countBaskets(actual)} customers but the recommendations ${nCustomers}`, 'one row per customer, same customer order as training');
  }
  if (options.include && options.include.length !== nCustomers) throw new UserError(`include has length ${options.include.length}, expected ${nCustomers}`);
  const inTest = new Int32Array(actual.nItems).fill(-1);
  let evaluated = 0;
  const precisionSum = new ExactSum();
  const recallSum = new ExactSum();
  let hitSum = 0;
  const apSum = new ExactSum();
  for (let u = 0; u < nCustomers; u++) {
    const tStart = actual.offsets[u];
    const tEnd = actual.offsets[u + 1];
    const nTest = tEnd - tStart;
    if (nTest === 0 || (options.include && options.include[u] === 0)) continue;
    for (let q = tStart; q < tEnd; q++) inTest[actual.items[q]] = u;
    const rStart = recommendations.offsets[u];
    const rEnd = Math.min(recommendations.offsets[u + 1], rStart + k);
    let hits = 0;
    let precisionSumAtHits = 0;
    for (let q = rStart; q < rEnd; q++) {
      const item = recommendations.items[q];
      if (item < actual.nItems && inTest[item] === u) {
        hits++;
        precisionSumAtHits += hits / (q - rStart + 1);
      }
    }
    evaluated++;
    precisionSum.add(hits / k);
    recallSum.add(hits / nTest);
    hitSum += hits > 0 ? 1 : 0;
    apSum.add(precisionSumAtHits / Math.min(k, nTest));
  }
  return {
    k,
    nCustomers: evaluated,
    precisionAtK: evaluated > 0 ? precisionSum.value() / evaluated : NaN,
    recallAtK: evaluated > 0 ? recallSum.value() / evaluated : NaN,
    hitRateAtK: evaluated > 0 ? hitSum / evaluated : NaN,
    mapAtK: evaluated > 0 ? apSum.value() / evaluated : NaN,
  };
}
