/**
 * Limited-memory BFGS minimisation (Nocedal 1980; Liu & Nocedal 1989,
 * "On the limited memory BFGS method for large scale optimization",
 * Math. Programming 45) with the two-loop recursion and a strong-Wolfe line
 * search (Nocedal & Wright 2006, "Numerical Optimization", Algorithms 3.5–3.6,
 * cubic interpolation in the zoom phase).
 *
 * Robustness rules:
 * - A non-finite objective value or gradient at a trial point is treated as
 *   "step too long": the step is shrunk (bisected towards the last good
 *   point), never an error. Only a non-finite value at the start aborts, with
 *   `converged: false` and a message.
 * - When the quasi-Newton direction is not a descent direction, or its line
 *   search fails, the memory is cleared and steepest descent is tried before
 *   giving up.
 * - `converged` is true only when ‖∇f‖∞ ≤ gradientTolerance; hitting the
 *   iteration cap or stalling says so in `message` with `converged: false`.
 */

export interface LbfgsOptions {
  /** iteration cap (default 500) */
  maxIterations?: number;
  /** convergence when the infinity norm of the gradient is ≤ this (default 1e-6) */
  gradientTolerance?: number;
  /** number of correction pairs kept (default 10) */
  memory?: number;
  /** called after every accepted iteration with the new point and value; returning true stops the run (not converged, `stoppedByCaller`) */
  onIteration?: (x: Float64Array, value: number) => boolean;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  iterations: number;
  converged: boolean;
  message: string;
  /** true when `onIteration` stopped the run */
  stoppedByCaller?: boolean;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH_EVALUATIONS = 40;
/** Stop when the objective improves by less than FLAT_TOLERANCE (relative) over FLAT_WINDOW iterations. */
const FLAT_WINDOW = 25;
const FLAT_TOLERANCE = 1e-10;

/** max |v_i|, or NaN when any entry is NaN (so a NaN gradient never passes a tolerance test). */
export function infinityNorm(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db); NaN when undefined. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

interface LineSearchOutcome {
  ok: boolean;
  step: number;
  evaluations: number;
}

/**
 * Minimise f: `objective(x, gradient)` returns f(x) and writes ∇f(x) into
 * `gradient`. Non-finite values are handled by backtracking, never by aborting.
 */
export function minimizeLbfgs(
  objective: (x: Float64Array, gradient: Float64Array) => number,
  x0: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.gradientTolerance ?? 1e-6;
  const memory = Math.max(1, Math.floor(options.memory ?? 10));
  const n = x0.length;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = objective(x, g);
  if (!Number.isFinite(f) || !allFinite(g)) {
    return {
      x,
      value: f,
      gradient: g,
      iterations: 0,
      converged: false,
      message: `objective or gradient not finite at the starting point (value ${f})`,
    };
  }

  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const alphaTemp = new Float64Array(memory);
  const direction = new Float64Array(n);
  const trialX = new Float64Array(n);
  const trialG = new Float64Array(n);
  const bestTrialX = new Float64Array(n);
  const bestTrialG = new Float64Array(n);

  /** Evaluate at x + step·direction into trialX/trialG. */
  function evaluateAt(step: number): number {
    for (let i = 0; i < n; i++) trialX[i] = x[i] + step * direction[i];
    const value = objective(trialX, trialG);
    return Number.isFinite(value) && allFinite(trialG) ? value : NaN;
  }

  /**
   * Strong-Wolfe line search along `direction` from (x, f, g). On success the
   * accepted point is left in bestTrialX / bestTrialG with value `acceptedValue`.
   */
  let acceptedValue = NaN;
  function lineSearch(initialStep: number): LineSearchOutcome {
    const slope0 = dot(g, direction);
    let evaluations = 0;
    let bestValue = f;
    let bestStep = 0;
    const remember = (step: number, value: number): void => {
      if (value < bestValue) {
        bestValue = value;
        bestStep = step;
        bestTrialX.set(trialX);
        bestTrialG.set(trialG);
      }
    };
    const accept = (step: number, value: number): LineSearchOutcome => {
      bestTrialX.set(trialX);
      bestTrialG.set(trialG);
      acceptedValue = value;
      return { ok: true, step, evaluations };
    };
    const fallback = (): LineSearchOutcome => {
      // Accept the best point with sufficient decrease seen, if any (weak Wolfe is enough for progress).
      if (bestStep > 0 && bestValue <= f + C1 * bestStep * slope0) {
        acceptedValue = bestValue;
        return { ok: true, step: bestStep, evaluations };
      }
      return { ok: false, step: 0, evaluations };
    };

    let previousStep = 0;
    let previousValue = f;
    let previousSlope = slope0;
    let step = initialStep;

    const zoom = (
      lo: number, fLo: number, dLo: number,
      hi: number, fHi: number, dHi: number,
    ): LineSearchOutcome => {
      while (evaluations < MAX_LINE_SEARCH_EVALUATIONS) {
        const width = hi - lo;
        if (Math.abs(width) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
        let trial = Number.isFinite(fHi) && Number.isFinite(dHi) ? cubicMinimizer(lo, fLo, dLo, hi, fHi, dHi) : NaN;
        const left = Math.min(lo, hi) + 0.1 * Math.abs(width);
        const right = Math.max(lo, hi) - 0.1 * Math.abs(width);
        if (!Number.isFinite(trial) || trial < left || trial > right) trial = lo + 0.5 * width;
        const value = evaluateAt(trial);
        evaluations++;
        if (Number.isNaN(value)) {
          // not finite: too far, shrink towards lo
          hi = trial;
          fHi = NaN;
          dHi = NaN;
          continue;
        }
        remember(trial, value);
        const slope = dot(trialG, direction);
        if (value > f + C1 * trial * slope0 || value >= fLo) {
          hi = trial;
          fHi = value;
          dHi = slope;
        } else {
          if (Math.abs(slope) <= -C2 * slope0) return accept(trial, value);
          if (slope * (hi - lo) >= 0) {
            hi = lo;
            fHi = fLo;
            dHi = dLo;
          }
          lo = trial;
          fLo = value;
          dLo = slope;
        }
      }
      return fallback();
    };

    for (let i = 0; evaluations < MAX_LINE_SEARCH_EVALUATIONS; i++) {
      const value = evaluateAt(step);
      evaluations++;
      if (Number.isNaN(value)) {
        // non-finite: bisect towards the last good point
        step = previousStep + 0.5 * (step - previousStep);
        if (step - previousStep <= 1e-20) break;
        continue;
      }
      remember(step, value);
      const slope = dot(trialG, direction);
      if (value > f + C1 * step * slope0 || (i > 0 && value >= previousValue)) {
        return zoom(previousStep, previousValue, previousSlope, step, value, slope);
      }
      if (Math.abs(slope) <= -C2 * slope0) return accept(step, value);
      if (slope >= 0) return zoom(step, value, slope, previousStep, previousValue, previousSlope);
      previousStep = step;
      previousValue = value;
      previousSlope = slope;
      step *= 4;
    }
    return fallback();
  }

  let iterations = 0;
  let stalled = 0;
  // Objective values of recent iterations: a long flat stretch means a ridge running off to infinity.
  const recent: number[] = [];
  let message = '';
  let converged = false;
  for (;;) {
    const gradientNorm = infinityNorm(g);
    if (gradientNorm <= tolerance) {
      converged = true;
      message = `converged: gradient infinity norm ${gradientNorm.toExponential(2)} ≤ ${tolerance} after ${iterations} iterations`;
      break;
    }
    if (iterations >= maxIterations) {
      message = `not converged: iteration cap ${maxIterations} reached with gradient infinity norm ${gradientNorm.toExponential(2)} > ${tolerance}`;
      break;
    }

    // two-loop recursion: direction = −H·g
    for (let i = 0; i < n; i++) direction[i] = -g[i];
    const m = sHistory.length;
    for (let k = m - 1; k >= 0; k--) {
      const a = rhoHistory[k] * dot(sHistory[k], direction);
      alphaTemp[k] = a;
      const y = yHistory[k];
      for (let i = 0; i < n; i++) direction[i] -= a * y[i];
    }
    if (m > 0) {
      const s = sHistory[m - 1];
      const y = yHistory[m - 1];
      const gammaScale = dot(s, y) / dot(y, y);
      for (let i = 0; i < n; i++) direction[i] *= gammaScale;
    }
    for (let k = 0; k < m; k++) {
      const bCoef = rhoHistory[k] * dot(yHistory[k], direction);
      const s = sHistory[k];
      const a = alphaTemp[k];
      for (let i = 0; i < n; i++) direction[i] += s[i] * (a - bCoef);
    }

    let usedSteepest = m === 0;
    if (!(dot(direction, g) < 0) || !allFinite(direction)) {
      for (let i = 0; i < n; i++) direction[i] = -g[i];
      sHistory.length = 0;
      yHistory.length = 0;
      rhoHistory.length = 0;
      usedSteepest = true;
    }
    let initialStep = usedSteepest ? Math.min(1, 1 / Math.max(infinityNorm(direction), 1e-300)) : 1;
    let outcome = lineSearch(initialStep);
    if (!outcome.ok && !usedSteepest) {
      // retry with steepest descent and a fresh memory
      for (let i = 0; i < n; i++) direction[i] = -g[i];
      sHistory.length = 0;
      yHistory.length = 0;
      rhoHistory.length = 0;
      initialStep = Math.min(1, 1 / Math.max(infinityNorm(direction), 1e-300));
      outcome = lineSearch(initialStep);
    }
    if (!outcome.ok) {
      message = `not converged: line search found no decrease after ${iterations} iterations (gradient infinity norm ${gradientNorm.toExponential(2)} > ${tolerance}; likely at the limit of floating-point precision or a non-smooth objective)`;
      break;
    }

    iterations++;
    const newValue = acceptedValue;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = bestTrialX[i] - x[i];
      y[i] = bestTrialG[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (sHistory.length === memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }
    const decrease = f - newValue;
    x.set(bestTrialX);
    g.set(bestTrialG);
    f = newValue;
    if (decrease <= 1e-15 * Math.max(1, Math.abs(f))) {
      stalled++;
      if (stalled >= 5 && infinityNorm(g) > tolerance) {
        message = `not converged: no progress in the objective for 5 iterations (gradient infinity norm ${infinityNorm(g).toExponential(2)} > ${tolerance})`;
        break;
      }
    } else {
      stalled = 0;
    }
    if (options.onIteration?.(x, f)) {
      message = `stopped by the caller after ${iterations} iterations`;
      return { x, value: f, gradient: g, iterations, converged: false, message, stoppedByCaller: true };
    }
    recent.push(f);
    if (recent.length > FLAT_WINDOW) {
      const before = recent.shift()!;
      if (before - f <= FLAT_TOLERANCE * Math.max(1, Math.abs(f)) && infinityNorm(g) > tolerance) {
        message = `not converged: the objective improved by less than ${FLAT_TOLERANCE} (relative) over ${FLAT_WINDOW} iterations (gradient infinity norm ${infinityNorm(g).toExponential(2)} > ${tolerance}): the estimate may be running off to a boundary`;
        break;
      }
    }
  }
  return { x, value: f, gradient: g, iterations, converged, message };
}
