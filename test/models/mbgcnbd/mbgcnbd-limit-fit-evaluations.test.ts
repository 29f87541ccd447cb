/**
 * The no-dropout limit (CNBD-k) fitted at each k of the search on regular buyers: its likelihood at k in the hundreds is
 * a sum of terms like log Γ(r + kx) ≈ 6e4 per customer, whose rounding (~1e-11 per customer) is near the decrease an
 * L-BFGS line search must see once the gradient is near the tolerance 1e-6 — there L-BFGS failed line search after line
 * search, 40 evaluations each, before the Newton polish (finite-difference Hessian, exact gradient) finished the fit in
 * two steps. The limit's L-BFGS now stops at 1e-5 per customer and hands the rest to the polish (searchTolerance):
 * the same optimum, the fit still judged converged at 1e-6.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fitMbgCnbd, type RegularityData } from '../../../src/models/mbgcnbd/mbgcnbd.js';
import { regularShopSnapshot } from '../../helpers/regular-shop-snapshot.js';

/** evaluations of each L-BFGS run by the number of parameters it fits */
const runs = vi.hoisted(() => [] as { parameters: number; evaluations: number }[]);
vi.mock('../../../src/math/lbfgs.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/math/lbfgs.js')>();
  return {
    ...original,
    minimizeLbfgs: (objective: Parameters<typeof original.minimizeLbfgs>[0], x0: Float64Array, options?: Parameters<typeof original.minimizeLbfgs>[2]) => {
      const run = { parameters: x0.length, evaluations: 0 };
      runs.push(run);
      return original.minimizeLbfgs((x, g) => (run.evaluations++, objective(x, g)), x0, options);
    },
  };
});

describe('MBG/CNBD-k k search on the regular-buyer shop (1,500 customers): the no-dropout limit fits', () => {
  let data: RegularityData;
  beforeAll(async () => {
    ({ data } = await regularShopSnapshot());
  }, 120_000);

  it('take at most 40 L-BFGS evaluations at every k (214 at k = 564, 183 at k = 30 before), and the search ends where it did', () => {
    runs.length = 0;
    const fit = fitMbgCnbd(data);
    expect(fit.k).toBe(564);
    // −ℓ to the tolerance of the search (the same optimum): 6112.649458073 before
    expect(fit.fitted.logLikelihood).toBeCloseTo(6112.649458, 5);
    expect(fit.fitted.fit.boundary?.limitConverged).toBe(true);
    const limitRuns = runs.filter((r) => r.parameters === 2);
    expect(limitRuns.length).toBeGreaterThanOrEqual(fit.kTried.length - 5);
    expect(Math.max(...limitRuns.map((r) => r.evaluations))).toBeLessThanOrEqual(40);
  }, 120_000);
});
