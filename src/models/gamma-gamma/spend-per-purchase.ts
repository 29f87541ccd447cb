/**
 * Expected spend per purchase of each customer — the one formula behind the
 * CLV point estimate, its parameter-uncertainty intervals and the scores the
 * value step joins to customers in SQL (there is no SQL copy of it).
 *
 * Rule, in order:
 * 1. the Gamma-Gamma posterior mean E[M | x, m̄] = p(γ + x m̄)/(px + q − 1)
 *    (`predictGammaGammaConditionalSpend`; x = 0 gives the population mean
 *    pγ/(q−1)) where it is finite;
 * 2. else, for a repeat buyer with m̄ > 0, their own mean repeat spend m̄ (the
 *    posterior mean is infinite: px + q ≤ 1, a heavy-tailed fit with q < 1);
 * 3. else the population mean pγ/(q−1) where finite (a repeat buyer with m̄ ≤ 0);
 * 4. else `fallbackMean`, the observed mean repeat spend of the base.
 * Without a Gamma-Gamma fit (`params` null): m̄ for repeat buyers with m̄ > 0,
 * else `fallbackMean`. Never negative when `fallbackMean` ≥ 0.
 *
 * Example: params {p: 6.25, q: 3.74, gamma: 15.44}, x = 0 → 35.22 (population
 * mean); x = 2, m̄ = 30 → 31.11; params {p: 1, q: 0.5, gamma: 10}, x = 0 →
 * fallbackMean.
 */
import { predictGammaGammaConditionalSpend, predictGammaGammaPopulationMean, type GammaGammaParams } from './gamma-gamma.js';

export function predictSpendPerPurchase(params: GammaGammaParams | null, x: number, monetary: number, fallbackMean: number): number {
  const ownMean = x > 0 && monetary > 0 && Number.isFinite(monetary) ? monetary : NaN;
  if (params === null) return Number.isNaN(ownMean) ? fallbackMean : ownMean;
  const posterior = predictGammaGammaConditionalSpend(params, x, monetary);
  if (Number.isFinite(posterior)) return posterior;
  if (!Number.isNaN(ownMean)) return ownMean;
  const population = predictGammaGammaPopulationMean(params);
  return Number.isFinite(population) ? population : fallbackMean;
}

/** `predictSpendPerPurchase` for every row. */
export function predictSpendPerPurchaseAll(params: GammaGammaParams | null, frequency: ArrayLike<number>, monetary: ArrayLike<number>, fallbackMean: number): Float64Array {
  const out = new Float64Array(frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictSpendPerPurchase(params, frequency[i]!, monetary[i]!, fallbackMean);
  return out;
}
