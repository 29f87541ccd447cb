/**
 * Newton's method with an exact Hessian, for the last stretch of a fit: from
 * a point already near the optimum (the best start screened on a subsample,
 * or the L-BFGS optimum) every step solves H·δ = ∇F and halves δ until F does
 * not get worse, and converges quadratically (Nocedal & Wright 2006, §3.3):
 * two or three evaluations take ‖∇F‖∞ from 1e-3 to 1e-12. Each evaluation
 * returns the value, the gradient and the Hessian in one pass, so the Hessian
 * at the final point — the observed information of the standard errors — comes
 * for free. The last step is typically ~1e-7: with `gradientObjective` given,
 * a step of at most KEEP_HESSIAN_STEP is evaluated without the Hessian (which
 * moves by O(step)), a cheaper evaluation.
 */
import { solvePositiveDefinite } from '../math/normal.js';
import { infinityNorm } from '../math/lbfgs.js';

/** An objective F(z) that writes ∇F into `gradient` and returns NaN when it cannot be evaluated. */
export type Objective = (z: Float64Array, gradient: Float64Array) => number;

/** Newton steps with ‖δ‖∞ (log scale) at most this keep the Hessian and evaluate the gradient only. */
export const KEEP_HESSIAN_STEP = 1e-5;

/** F(z) with ∇F written into `gradient` and ∇²F (row-major k×k) into `hessian`; NaN when it cannot be evaluated. */
export type HessianObjective = (z: Float64Array, gradient: Float64Array, hessian: Float64Array) => number;

export interface NewtonPolished {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  /** ∇²F at x — or at the point before x when the last step was at most KEEP_HESSIAN_STEP (then it differs by O(step)) */
  hessian: number[][];
  steps: number;
}

function toMatrix(flat: Float64Array, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from(flat.subarray(i * k, (i + 1) * k)));
}

/**
 * How far F may rise, relative to |F|, on a step whose gradients show a
 * descent (acceptsPolishStep): the rounding of sums of large log-gamma terms.
 * MBG/CNBD-k at k ≈ 600 sums terms of ~1e5 per customer that cancel to ~1,
 * and its F moves by ~3e-10 relative between points 1e-9 apart.
 */
export const ROUNDING_ALLOWANCE = 1e-8;

/**
 * Whether a polishing step from x (value F, gradient g) to x′ (F′, g′) is
 * taken — one rule for every polish (Newton with the exact or the
 * finite-difference Hessian, and the screened fit's quasi-Newton):
 *
 * - F is not worse, to rounding (1e-14 relative), and F or ‖∇F‖∞ decreased; or
 * - near the optimum of a long sum F's own rounding can exceed the decrease
 *   left to gain, and comparing F then refuses every step while the gradient,
 *   exact to rounding, still shows the way. So a step that at least halves
 *   ‖∇F‖∞ is also taken when the trapezoid rule on the two gradients,
 *   F′ − F ≈ ½ (g + g′)·(x′ − x), says F fell, and F′ rose by no more than
 *   ROUNDING_ALLOWANCE relative.
 *
 * Example: ‖g‖ 3.2e-5 → ‖g′‖ 2.9e-10 with F′ − F = +2.6e-10 (F ≈ −1.4, CNBD-564 on 3,000 regular buyers) → true; the first rule alone refused it.
 */
export function acceptsPolishStep(x: ArrayLike<number>, value: number, gradient: ArrayLike<number>, trial: ArrayLike<number>, trialValue: number, trialGradient: ArrayLike<number>): boolean {
  const norm = infinityNorm(gradient), trialNorm = infinityNorm(trialGradient);
  const scale = Math.max(1, Math.abs(value));
  if (trialValue <= value + 1e-14 * scale && (trialValue < value || trialNorm < norm)) return true;
  if (!(trialNorm <= 0.5 * norm) || !(trialValue <= value + ROUNDING_ALLOWANCE * scale)) return false;
  let change = 0;
  for (let i = 0; i < x.length; i++) change += 0.5 * (gradient[i]! + trialGradient[i]!) * (trial[i]! - x[i]!);
  return change < 0;
}

/**
 * Newton steps from x0 until ‖∇F‖∞ ≤ stopAt (or `maxSteps`, or a step that no
 * line search accepts, or a Hessian that is not positive definite). A step is
 * taken by acceptsPolishStep's rule, as in the fit's finite-difference polish
 * and the screened fit's quasi-Newton. null when F cannot be evaluated at
 * x0 or the Hessian there is not finite; otherwise the last accepted point,
 * whatever its gradient (the caller checks it).
 */
export function polishByNewton(objective: HessianObjective, x0: Float64Array, stopAt: number, maxSteps = 8, gradientObjective?: Objective): NewtonPolished | null {
  const k = x0.length;
  let x: Float64Array = Float64Array.from(x0);
  let gradient: Float64Array = new Float64Array(k);
  let hessian: Float64Array = new Float64Array(k * k);
  let value = objective(x, gradient, hessian);
  if (!Number.isFinite(value) || !hessian.every(Number.isFinite)) return null;
  const trialGradient = new Float64Array(k);
  const trialHessian = new Float64Array(k * k);
  let steps = 0;
  for (; steps < maxSteps; steps++) {
    const norm = infinityNorm(gradient);
    if (norm <= stopAt) break;
    const delta = solvePositiveDefinite(toMatrix(hessian, k), gradient);
    if (delta === null) break;
    // a step this small changes the Hessian by O(step), below the 1e-5 of the finite differences it replaced: gradient only
    const keepHessian = gradientObjective !== undefined && infinityNorm(delta) <= KEEP_HESSIAN_STEP;
    let accepted = false;
    for (let halving = 0, length = 1; halving < 12 && !accepted; halving++, length *= 0.5) {
      const trial = new Float64Array(k);
      for (let i = 0; i < k; i++) trial[i] = x[i]! - length * delta[i]!;
      const trialValue = keepHessian ? gradientObjective(trial, trialGradient) : objective(trial, trialGradient, trialHessian);
      if (!Number.isFinite(trialValue) || (!keepHessian && !trialHessian.every(Number.isFinite))) continue;
      if (acceptsPolishStep(x, value, gradient, trial, trialValue, trialGradient)) {
        x = trial;
        value = trialValue;
        gradient = Float64Array.from(trialGradient);
        if (!keepHessian) hessian = Float64Array.from(trialHessian);
        accepted = true;
      }
    }
    if (!accepted) break;
  }
  return { x, value, gradient, hessian: toMatrix(hessian, k), steps };
}
