/**
 * The fitted heterogeneity of purchasing across customers: the density of
 * each customer's purchase rate λ ~ Gamma(r, α) (shape r, rate α: BG/NBD,
 * MBG/NBD, Pareto/NBD, NBD, MBG/CNBD-k), or, for the BG/BB, of the
 * per-opportunity transaction probability p ~ Beta(α, β).
 * (`lifetimes`' `plot_transaction_rate_heterogeneity`; BTYD's `pnbd.PlotTransRateHeterogeneity`.)
 */
import { betaDensity, gammaDensity } from '../../math/probability-densities.js';
import type { BgBbParams } from '../bgbb/bgbb.js';

/** Parameters with a purchase-rate mixing distribution. */
export type PurchaseRateParams = { readonly r: number; readonly alpha: number } | BgBbParams;

/**
 * Density of the purchase rate at each grid point: Gamma(r, α) of λ
 * (purchases per time unit while alive), or Beta(α, β) of the BG/BB's p.
 * NaN for invalid parameters.
 *
 * Example: `purchaseRateDensity({ r: 2, alpha: 3 }, [1])` → [9e^{−3}] ≈ [0.448].
 */
export function purchaseRateDensity(params: PurchaseRateParams, lambdaGrid: ArrayLike<number>): Float64Array {
  const out = new Float64Array(lambdaGrid.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = 'r' in params ? gammaDensity(lambdaGrid[i], params.r, params.alpha) : betaDensity(lambdaGrid[i], params.alpha, params.beta);
  }
  return out;
}
