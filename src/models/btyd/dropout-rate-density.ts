/**
 * The fitted heterogeneity of dropout across customers: the density of the
 * dropout probability after a purchase p ~ Beta(a, b) (BG/NBD, MBG/NBD,
 * MBG/CNBD-k), of the dropout rate μ ~ Gamma(s, β) per time unit (Pareto/NBD:
 * exponential lifetimes of mean 1/μ), or of the BG/BB's per-opportunity
 * dropout probability θ ~ Beta(γ, δ).
 * (`lifetimes`' `plot_dropout_rate_heterogeneity`; BTYD's `pnbd.PlotDropoutRateHeterogeneity`.)
 */
import { betaDensity, gammaDensity } from '../../math/probability-densities.js';
import type { BgBbParams } from '../bgbb/bgbb.js';

/** Parameters with a dropout mixing distribution. */
export type DropoutRateParams =
  | { readonly a: number; readonly b: number }
  | { readonly s: number; readonly beta: number }
  | BgBbParams;

/**
 * Density of the dropout quantity at each grid point: Beta(a, b) of p,
 * Gamma(s, β) of μ, or Beta(γ, δ) of θ. NaN for invalid parameters,
 * including the no-dropout boundary (a = 0 or s = 0), where there is no density.
 *
 * Example: `dropoutRateDensity({ a: 2, b: 3 }, [0.5])` → [1.5].
 */
export function dropoutRateDensity(params: DropoutRateParams, grid: ArrayLike<number>): Float64Array {
  const out = new Float64Array(grid.length);
  for (let i = 0; i < out.length; i++) {
    const x = grid[i];
    out[i] = 'a' in params ? betaDensity(x, params.a, params.b) : 's' in params ? gammaDensity(x, params.s, params.beta) : betaDensity(x, params.gamma, params.delta);
  }
  return out;
}
