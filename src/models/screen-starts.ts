/**
 * Multi-start on a subsample, polish on all rows: the starting points are
 * run by L-BFGS on a cheap likelihood (a weighted subsample of the rows,
 * `MaximumLikelihoodProblem.screen`), and only the best optimum is carried to
 * the full likelihood, where a quasi-Newton iteration started from the
 * subsample's Hessian (finite differences of its gradient, cheap) and
 * refined by BFGS updates (Nocedal & Wright 2006, eq. 6.19) converges in a
 * few evaluations: the subsample's curvature is the full one to a few per
 * cent, so the first steps already shrink the gradient tenfold.
 *
 * A screen that is not clean — a start heading for a boundary, no start
 * converged, or the polish not reaching the tolerance — returns null, and
 * the caller runs its ordinary multi-start on all rows: screening only ever
 * saves time, it never changes which limit or fit is reported.
 *
 * With an exact Hessian of the full objective (`ScreenOptions.newton`) the
 * polish is Newton's method instead (newton-polish.ts), falling back to the
 * quasi-Newton polish when it does not reach the tolerance.
 */
import { infinityNorm } from '../math/lbfgs.js';
import { computeHessianFromGradient } from '../math/hessian.js';
import { solvePositiveDefinite } from '../math/normal.js';
import { BoundaryWatch, type BoundaryDirection } from './fit-boundary.js';
import { acceptsPolishStep, polishByNewton, type HessianObjective, type Objective } from './newton-polish.js';
import { runWatched, type ConfinedStart } from './confined-start.js';

export type { Objective } from './newton-polish.js';

export interface ScreenedFit {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  /** L-BFGS iterations on the subsample plus quasi-Newton steps on all rows */
  iterations: number;
  startsConverged: number;
  /** the regions of the confined starts dropped on leaving them (`ScreenOptions.confined`) */
  dropped: string[];
  /** ∇²F at x, when the polish was by Newton steps with the exact Hessian (`ScreenOptions.newton`) */
  hessian?: number[][];
}

/**
 * Quasi-Newton from `x0` with the initial Hessian `hessian0`, BFGS-updated,
 * with halving line search; null unless ‖∇F‖∞ ≤ tolerance at the end. Stops
 * early at tolerance·1e-4, where a Newton step no longer moves the estimate.
 */
export function polishFromCurvature(objective: Objective, x0: Float64Array, hessian0: readonly (readonly number[])[], tolerance: number, maxSteps = 30): { x: Float64Array; value: number; gradient: Float64Array; steps: number } | null {
  const k = x0.length;
  const hessian = hessian0.map((row) => [...row]);
  let x: Float64Array = Float64Array.from(x0);
  let gradient: Float64Array = new Float64Array(k);
  let value = objective(x, gradient);
  if (!Number.isFinite(value)) return null;
  const trialGradient = new Float64Array(k);
  let steps = 0;
  for (; steps < maxSteps; steps++) {
    const norm = infinityNorm(gradient);
    if (norm <= tolerance * 1e-4) break;
    const delta = solvePositiveDefinite(hessian, gradient);
    if (delta === null) break;
    let trial: Float64Array | null = null;
    let trialValue = NaN;
    for (let halving = 0, length = 1; halving < 12; halving++, length *= 0.5) {
      const candidate = new Float64Array(k);
      for (let i = 0; i < k; i++) candidate[i] = x[i]! - length * delta[i]!;
      const candidateValue = objective(candidate, trialGradient);
      if (!Number.isFinite(candidateValue)) continue;
      if (acceptsPolishStep(x, value, gradient, candidate, candidateValue, trialGradient)) {
        trial = candidate;
        trialValue = candidateValue;
        break;
      }
    }
    if (trial === null) break;
    // BFGS update of the Hessian with s = step, y = change of gradient (skipped without positive curvature)
    const s = new Float64Array(k), y = new Float64Array(k), hs = new Float64Array(k);
    let sy = 0;
    for (let i = 0; i < k; i++) {
      s[i] = trial[i]! - x[i]!;
      y[i] = trialGradient[i]! - gradient[i]!;
      sy += s[i]! * y[i]!;
    }
    let shs = 0;
    for (let i = 0; i < k; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += hessian[i]![j]! * s[j]!;
      hs[i] = sum;
      shs += s[i]! * sum;
    }
    if (sy > 0 && shs > 0 && Number.isFinite(sy + shs)) {
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) hessian[i]![j]! += (y[i]! * y[j]!) / sy - (hs[i]! * hs[j]!) / shs;
      }
    }
    x = trial;
    value = trialValue;
    gradient = Float64Array.from(trialGradient);
  }
  return infinityNorm(gradient) <= tolerance ? { x, value, gradient, steps } : null;
}

function exactHessian(objective: HessianObjective, x: Float64Array): number[][] {
  const k = x.length;
  const flat = new Float64Array(k * k);
  if (!Number.isFinite(objective(Float64Array.from(x), new Float64Array(k), flat))) flat.fill(NaN);
  return Array.from({ length: k }, (_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
}

export interface ScreenOptions {
  starts: readonly Float64Array[];
  /** starts confined to a region, run after `starts` and dropped when their path leaves it (MaximumLikelihoodProblem.confinedStarts) */
  confined?: readonly ConfinedStart[];
  maxIterations: number;
  tolerance: number;
  /** the screen problem's boundary directions (watched as in the full fit) */
  directions: readonly BoundaryDirection[];
  /**
   * the full objective with its exact Hessian, when the problem has one: the best screened start is polished on
   * all rows by Newton steps (newton-polish.ts, ~3 evaluations to ‖∇F‖∞ ≤ tolerance·1e-4, the Hessian at the end
   * for the standard errors) instead of the quasi-Newton iteration from the subsample's finite-difference curvature
   */
  newton?: HessianObjective;
  /** the screen's objective with its exact Hessian: the subsample's curvature for the fallback polish (else finite differences) */
  screenNewton?: HessianObjective;
}

/** Screens the starts on `screenObjective` and polishes the best on `objective`; null when the screen is not clean (see above). */
export function screenStarts(screenObjective: Objective, objective: Objective, options: ScreenOptions): ScreenedFit | null {
  let best: { x: Float64Array; value: number; iterations: number } | null = null;
  let startsConverged = 0;
  const dropped: string[] = [];
  const runs: { start: Float64Array; confined?: ConfinedStart }[] = [...options.starts.map((start) => ({ start })), ...(options.confined ?? []).map((c) => ({ start: c.start, confined: c }))];
  for (const { start, confined } of runs) {
    const watch = new BoundaryWatch(options.directions);
    const { result, left } = runWatched(screenObjective, start, confined, watch, { maxIterations: options.maxIterations, gradientTolerance: options.tolerance });
    if (watch.hit !== null) return null;
    if (left) {
      dropped.push(confined!.region);
      continue;
    }
    if (!result.converged) continue;
    startsConverged++;
    if (best === null || result.value < best.value) best = { x: result.x, value: result.value, iterations: result.iterations };
  }
  if (best === null) return null;
  if (options.newton !== undefined) {
    const newton = polishByNewton(options.newton, best.x, options.tolerance * 1e-4, undefined, objective);
    if (newton !== null && infinityNorm(newton.gradient) <= options.tolerance) {
      return { x: newton.x, value: newton.value, gradient: newton.gradient, iterations: best.iterations + newton.steps, startsConverged, dropped, hessian: newton.hessian };
    }
  }
  const hessian = options.screenNewton !== undefined ? exactHessian(options.screenNewton, best.x) : computeHessianFromGradient((z, gradient) => void screenObjective(z, gradient), best.x);
  if (hessian.some((row) => row.some((h) => !Number.isFinite(h)))) return null;
  const polished = polishFromCurvature(objective, best.x, hessian, options.tolerance);
  if (polished === null) return null;
  return { x: polished.x, value: polished.value, gradient: polished.gradient, iterations: best.iterations + polished.steps, startsConverged, dropped };
}
