/**
 * Maximum-likelihood fitting harness shared by all value models.
 *
 * Method:
 * 1. Work on log-parameters z = log θ so every parameter stays positive.
 * 2. Minimise the per-observation objective
 *      F(z) = −logL(e^z)/n + penalty·Σ_k e^{2 z_k},
 *    i.e. the mean negative log-likelihood plus an L2 penalty on the natural
 *    parameters — exactly the `penalizer_coef` of the Python `lifetimes`
 *    library, so a given penalty means the same for 1,000 or 1,000,000
 *    customers. Scaling by 1/n keeps values and gradients O(1), which makes
 *    one gradient tolerance meaningful for every data size.
 * 3. L-BFGS (src/math/lbfgs.ts) from every starting point — and from the
 *    `confinedStarts`, each dropped once its path leaves its region (near a
 *    limit the ordinary starts do not reach); the best finite optimum is
 *    kept, then polished by a few safeguarded Newton steps with
 *    the finite-difference Hessian (which the standard errors need anyway) —
 *    or with the exact Hessian when the problem has one
 *    (`logLikelihoodHessian`, newton-polish.ts: BG/NBD).
 *    A problem with a `screen` (large data: the same likelihood on a weighted
 *    subsample) runs the starts there and polishes only the best on all rows
 *    (screen-starts.ts); any trouble on the subsample falls back to this.
 * 4. `converged` is true only when ‖∇F‖∞ ≤ gradientTolerance at the best
 *    point AND no parameter ran off to the boundary (θ < 1e-8 or θ > 1e8,
 *    where the MLE does not exist in the interior, e.g. BG/NBD a, b → ∞ when
 *    the data show no dropout) AND no parameter near 0 (θ < 1e-3) has a
 *    likelihood still rising into the interior (−∂F/∂θ > gradientTolerance:
 *    the log scale shrinks that derivative by θ, so a start at a = 1e-6
 *    could pass the tolerance without moving; at a local optimum on the
 *    edge θ = 0 the one-sided derivative points outward) unless the Newton
 *    step there moves θ by less than 0.1% of itself (an optimum on a small
 *    scale, not a stall on a slope). Otherwise `message` says why.
 * 5. Uncertainty: the observed information I = ∇²(−logL + n·penalty·Σθ²)
 *    w.r.t. z, exact where the problem has a Hessian, else by central
 *    differences of the analytic gradient (src/math/hessian.ts). With penalty 0 this is the observed information of
 *    the log-likelihood; with a penalty it is the curvature of the penalised
 *    objective (the Laplace approximation of the posterior under the implied
 *    Gaussian prior), which stays positive definite where the penalty is what
 *    keeps the optimum finite. covarianceLog = I⁻¹, stdErrors = θ·se_z (delta
 *    method), intervals95 = exp(z ± 1.96·se_z). A singular or indefinite I
 *    gives NaN standard errors/intervals/covariance and says so in `message`.
 * 6. aic = 2k − 2·logL, bic = k·ln n − 2·logL, with the unpenalised logL.
 */
import { infinityNorm } from '../math/lbfgs.js';
import { computeHessianFromGradient } from '../math/hessian.js';
import { Z95 } from '../math/z95.js';
import { invertPositiveDefinite, solvePositiveDefinite } from '../math/normal.js';
import { UserError } from '../core/errors/user-error.js';
import type { FittedModel } from './model-types.js';
import { BoundaryWatch, chooseBoundaryFit, findBoundariesReached, limitNotBeatenByInterior, type BoundaryDirection } from './fit-boundary.js';
import { screenStarts, type Objective } from './screen-starts.js';
import { runWatched, type ConfinedStart } from './confined-start.js';

export type { ConfinedStart } from './confined-start.js';
import { acceptsPolishStep, polishByNewton, type HessianObjective } from './newton-polish.js';

export interface MaximumLikelihoodProblem {
  model: string;
  paramNames: readonly string[];
  /** log-likelihood (summed with weights) at natural params exp(logParams); writes d logL / d logParams into gradient */
  logLikelihood(logParams: Float64Array, gradient: Float64Array): number;
  /**
   * the same, also writing the exact Hessian d²logL / d logParams² (row-major k×k) — when the model has one in closed
   * form: the polish is then by Newton steps with it and the standard errors come from it (no finite differences)
   */
  logLikelihoodHessian?(logParams: Float64Array, gradient: Float64Array, hessian: Float64Array): number;
  /** starting points on the log scale (several: multi-start) */
  starts: readonly Float64Array[];
  /**
   * Starts that search one region of the parameter space — the basin of a limit the ordinary starts do not reach —
   * run after `starts`; each run is dropped as soon as its path leaves its region, where the ordinary starts search
   * (a start near the Pareto/NBD's one-time-buyers limit, whose path on data without one-time buyers returns to the
   * optimum the others find: dropped there, it costs a third of a full run and changes nothing).
   */
  confinedStarts?: readonly ConfinedStart[];
  /**
   * A cheap stand-in for the confined starts (the same likelihood on a weighted subsample of the rows, with its own
   * `confinedStarts` in the same order): where the problem is not screened as a whole (`screen`), a confined start
   * runs on the stand-in first and on all rows only when its path there stays in its region.
   */
  confinedScreen?: () => MaximumLikelihoodProblem;
  /** number of observations for BIC (sum of weights) */
  n: number;
  /** directions in which the estimates may run off, with their limits (see fit-boundary.ts); watched when penalty = 0 */
  boundaries?: readonly BoundaryDirection[];
  /**
   * A cheap stand-in (the same likelihood on a weighted subsample of the rows) on which the starts are screened;
   * only the best is polished on all rows (see screen-starts.ts). Large data only; an unclean screen falls back to the full multi-start.
   */
  screen?: () => MaximumLikelihoodProblem;
  /**
   * the gradient is closed-form (exact to rounding): after a screened fit the Hessian for the standard errors may be
   * taken by forward differences (k gradient evaluations instead of 2k, ~1e-5 relative). Not for likelihoods
   * computed by series or quadrature (Pareto/NBD), whose gradient noise forward differences amplify.
   */
  forwardHessian?: boolean;
}

export interface FitOptions {
  /** L2 penalty on the natural parameters added to the mean negative log-likelihood (lifetimes' penalizer_coef); default 0 */
  penalty?: number;
  /** L-BFGS iteration cap per start (default 1000) */
  maxIterations?: number;
  /** convergence threshold on ‖∇F‖∞ of the per-observation objective F (default 1e-6) */
  gradientTolerance?: number;
  /**
   * where each start's L-BFGS stops (default gradientTolerance): a larger one hands the last stretch to the Newton polish,
   * which carries the best point to gradientTolerance·1e-4 as always; `converged` is still judged at gradientTolerance.
   * For likelihoods whose rounding noise is near the decrease a line search must see at the tolerance (MBG/CNBD-k at k in
   * the hundreds): there L-BFGS's last iterations fail their line searches, 40 evaluations at a time.
   */
  searchTolerance?: number;
  /** most likelihood evaluations for the whole fit, all starts together (default 5000); past it the fit stops, not converged */
  maxEvaluations?: number;
  /** wall-clock budget in milliseconds (default none); past it the fit stops, not converged — for callers that must answer in time */
  timeBudgetMs?: number;
}

/** Natural parameters outside [1e-8, 1e8] are reported as a boundary (non-interior) optimum. */
const LOG_BOUNDARY = Math.log(1e8);
const MAX_NEWTON_STEPS = 8;
/** Below this a parameter counts as near its lower edge 0: `converged` then also checks its one-sided derivative (step 4 above). */
const NEAR_ZERO = 1e-3;
/** A Newton step in log θ at most this large (0.1% of θ) shows an optimum right where a near-0 parameter stopped (step 4 above). */
const NEAR_ZERO_STEP = 1e-3;

function format(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : String(value);
}

/** Largest |log θ| the optimiser may visit: θ in [e^−30, e^30] ≈ [1e−13, 1e13]. */
export const LOG_PARAMETER_BOUND = 30;

export function fitMaximumLikelihood<P extends Record<string, number>>(
  problem: MaximumLikelihoodProblem,
  options: FitOptions = {},
): FittedModel<P> {
  const k = problem.paramNames.length;
  const penalty = options.penalty ?? 0;
  const tolerance = options.gradientTolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 1000;
  if (!(penalty >= 0) || !Number.isFinite(penalty)) {
    throw new UserError(`penalty must be a finite number ≥ 0, got ${penalty}`, 'use e.g. --penalty 0.001, or 0 for none');
  }
  if (!(tolerance > 0)) throw new RangeError(`gradientTolerance must be > 0, got ${tolerance}`);
  if (problem.starts.length === 0) throw new RangeError(`${problem.model}: no starting points`);
  const confined = problem.confinedStarts ?? [];
  const startCount = problem.starts.length + confined.length;
  for (const start of [...problem.starts, ...confined.map((c) => c.start)]) {
    if (start.length !== k) throw new RangeError(`${problem.model}: start of length ${start.length}, expected ${k}`);
  }
  if (!(problem.n > 0) || !Number.isFinite(problem.n)) {
    throw new UserError(`${problem.model}: nothing to fit (number of observations ${problem.n})`, 'check that the data contain customers');
  }
  const n = problem.n;

  const maxEvaluations = options.maxEvaluations ?? 5000;
  const deadline = options.timeBudgetMs === undefined ? Infinity : performance.now() + options.timeBudgetMs;
  let evaluations = 0;
  let budgetExceeded: string | null = null;
  // the objective of a problem (the full one, or its screen), all sharing one budget
  const createObjective = (target: MaximumLikelihoodProblem): Objective => {
    const inverseN = 1 / target.n;
    const work = new Float64Array(k);
    return (z: Float64Array, gradient: Float64Array): number => {
      // A budget: a fit that cannot converge stops instead of running for minutes.
      if (++evaluations > maxEvaluations || (deadline !== Infinity && performance.now() > deadline)) {
        budgetExceeded ??= evaluations > maxEvaluations ? `the budget of ${maxEvaluations} likelihood evaluations was used up` : `the time budget of ${options.timeBudgetMs} ms was used up`;
        gradient.fill(NaN);
        return NaN;
      }
      // A box on the log-parameters (e^±30): an MLE that runs off to infinity stops at the box instead of
      // wandering for minutes through ever costlier likelihoods, and is then reported as at the boundary.
      for (let i = 0; i < k; i++) {
        if (!(Math.abs(z[i]) <= LOG_PARAMETER_BOUND)) {
          gradient.fill(NaN);
          return NaN;
        }
      }
      const ll = target.logLikelihood(z, work);
      if (!Number.isFinite(ll)) {
        gradient.fill(NaN);
        return NaN;
      }
      let value = -ll * inverseN;
      for (let i = 0; i < k; i++) {
        const theta2 = Math.exp(2 * z[i]);
        value += penalty * theta2;
        gradient[i] = -work[i] * inverseN + 2 * penalty * theta2;
      }
      return value;
    };
  };
  // the same objective with its exact Hessian, ∇²F = −∇²logL/n + diag(4·penalty·θ²), for problems that have one
  const createHessianObjective = (target: MaximumLikelihoodProblem): HessianObjective | undefined => {
    const logLikelihoodHessian = target.logLikelihoodHessian;
    if (logLikelihoodHessian === undefined) return undefined;
    const inverseN = 1 / target.n;
    const work = new Float64Array(k);
    return (z: Float64Array, gradient: Float64Array, hessian: Float64Array): number => {
      if (++evaluations > maxEvaluations || (deadline !== Infinity && performance.now() > deadline)) {
        budgetExceeded ??= evaluations > maxEvaluations ? `the budget of ${maxEvaluations} likelihood evaluations was used up` : `the time budget of ${options.timeBudgetMs} ms was used up`;
        return NaN;
      }
      for (let i = 0; i < k; i++) if (!(Math.abs(z[i]) <= LOG_PARAMETER_BOUND)) return NaN;
      const ll = logLikelihoodHessian.call(target, z, work, hessian);
      if (!Number.isFinite(ll)) return NaN;
      let value = -ll * inverseN;
      for (let i = 0; i < k * k; i++) hessian[i] = -hessian[i] * inverseN;
      for (let i = 0; i < k; i++) {
        const theta2 = Math.exp(2 * z[i]);
        value += penalty * theta2;
        gradient[i] = -work[i] * inverseN + 2 * penalty * theta2;
        hessian[i * k + i] += 4 * penalty * theta2;
      }
      return value;
    };
  };
  const objective = createObjective(problem);
  const exactObjective = createHessianObjective(problem);
  const work = new Float64Array(k);
  const gradientOnly = (z: Float64Array, gradient: Float64Array): void => {
    objective(z, gradient);
  };

  // 1. multi-start L-BFGS
  let bestX: Float64Array | null = null as Float64Array | null;
  let bestValue = Infinity;
  let bestGradient: Float64Array = new Float64Array(k);
  let bestIterations = 0;
  let startsConverged = 0;
  const failures: string[] = [];
  /** the regions of the confined starts dropped on leaving them */
  const dropped: string[] = [];
  const directions = penalty === 0 ? (problem.boundaries ?? []) : [];
  const stopped: { direction: BoundaryDirection; x: Float64Array; value: number }[] = [];
  // 0. the starts screened on a subsample, the best polished on all rows (screen-starts.ts); null: the full multi-start below
  const screen = problem.screen?.() ?? null;
  const screened = screen === null ? null : screenStarts(createObjective(screen), objective, {
    starts: screen.starts,
    ...(screen.confinedStarts !== undefined ? { confined: screen.confinedStarts } : {}),
    maxIterations,
    tolerance,
    directions: penalty === 0 ? (screen.boundaries ?? []) : [],
    ...(exactObjective !== undefined ? { newton: exactObjective } : {}),
    ...(exactObjective !== undefined && screen.logLikelihoodHessian !== undefined ? { screenNewton: createHessianObjective(screen)! } : {}),
  });
  if (screened !== null) {
    bestX = screened.x;
    bestValue = screened.value;
    bestGradient = screened.gradient;
    bestIterations = screened.iterations;
    startsConverged = screened.startsConverged;
    dropped.push(...screened.dropped);
  }
  // a confined start's path on the stand-in (the subsample): true when it leaves its region there
  let standIn: MaximumLikelihoodProblem | null | undefined;
  const leavesOnStandIn = (index: number): boolean => {
    standIn ??= screen ?? problem.confinedScreen?.() ?? null;
    const cheap = standIn?.confinedStarts?.[index];
    if (standIn === null || cheap === undefined) return false;
    return runWatched(createObjective(standIn), cheap.start, cheap, new BoundaryWatch(penalty === 0 ? (standIn.boundaries ?? []) : []), { maxIterations, gradientTolerance: tolerance }).left;
  };
  for (let s = 0; screened === null && s < startCount; s++) {
    const watch = new BoundaryWatch(directions);
    const region = s < problem.starts.length ? undefined : confined[s - problem.starts.length];
    if (region !== undefined && leavesOnStandIn(s - problem.starts.length)) {
      dropped.push(region.region);
      continue;
    }
    const { result, left } = runWatched(objective, region?.start ?? problem.starts[s]!, region, watch, { maxIterations, gradientTolerance: Math.max(tolerance, options.searchTolerance ?? 0) });
    if (watch.hit !== null) {
      stopped.push({ direction: watch.hit, x: Float64Array.from(result.x), value: result.value });
      failures.push(`start ${s + 1}: heading for ${watch.hit.limit}`);
      continue;
    }
    if (left) {
      // back where the ordinary starts search: not a candidate of its own
      dropped.push(region!.region);
      continue;
    }
    if (result.converged) startsConverged++;
    else failures.push(`start ${s + 1}: ${result.message}`);
    if (Number.isFinite(result.value) && result.value < bestValue) {
      bestValue = result.value;
      bestX = result.x;
      bestGradient = result.gradient;
      bestIterations = result.iterations;
    }
  }

  const nan = (): P => Object.fromEntries(problem.paramNames.map((name) => [name, NaN])) as P;
  const boundaryResult = ({ limit, stoppedRuns }: NonNullable<ReturnType<typeof chooseBoundaryFit>>, interiorAt = ''): FittedModel<P> => {
    const nanIntervals = Object.fromEntries(problem.paramNames.map((name) => [name, [NaN, NaN] as const]));
    const b = limit.boundary;
    return {
      model: problem.model,
      params: limit.params as P,
      logLikelihood: limit.logLikelihood,
      n,
      aic: 2 * k - 2 * limit.logLikelihood,
      bic: k * Math.log(n) - 2 * limit.logLikelihood,
      stdErrors: nan(),
      intervals95: nanIntervals as FittedModel<P>['intervals95'],
      covarianceLog: problem.paramNames.map(() => problem.paramNames.map(() => NaN)),
      fit: {
        converged: false,
        iterations: bestIterations,
        gradientNorm: NaN,
        message:
          // a limit fitted in its place that converged is the fit's optimum (reachedOptimum): not "not converged"
          `${b.limitConverged === true ? 'at its limit' : 'not converged'}: ` +
          (b.likelihoodRatio
            ? `the interior optimum (${interiorAt}) is ${b.likelihoodRatio.difference.toFixed(2)} above the limit's log-likelihood, less than ${b.likelihoodRatio.threshold} (the likelihood-ratio bound): the data do not tell it from the boundary ${b.limit}, ${b.meaning}; `
            : `the estimates run off to the boundary ${b.limit} (${stoppedRuns} of ${startCount} starts stopped on the way): ${b.meaning}; `) +
          (b.limitModel ? `the limiting model (${b.limitModel}) was fitted in its place${b.limitConverged === true ? ' and converged' : ''}` : 'the estimates are where the optimiser was stopped') +
          '; no standard errors at a boundary',
        starts: startCount,
        startsConverged,
        boundary: b,
      },
      penalty,
    };
  };
  const boundaryFit = chooseBoundaryFit(problem, directions, stopped, bestX, bestValue);
  if (boundaryFit !== null) return boundaryResult(boundaryFit);
  if (bestX === null) {
    const nanIntervals = Object.fromEntries(problem.paramNames.map((name) => [name, [NaN, NaN] as const]));
    return {
      model: problem.model,
      params: nan(),
      logLikelihood: NaN,
      n,
      aic: NaN,
      bic: NaN,
      stdErrors: nan(),
      intervals95: nanIntervals as FittedModel<P>['intervals95'],
      covarianceLog: problem.paramNames.map(() => problem.paramNames.map(() => NaN)),
      fit: {
        converged: false,
        iterations: 0,
        gradientNorm: NaN,
        message: `not converged: the log-likelihood was not finite at any of ${startCount} starting points (${[...failures, ...dropped.map((region) => `dropped on leaving the region ${region}`)].join('; ')})`,
        starts: startCount,
        startsConverged: 0,
      },
      penalty,
    };
  }

  // 2. Newton polish: with the exact Hessian when the problem has one (the screened polish may have done it already), else finite differences
  let x: Float64Array = Float64Array.from(bestX);
  let value = bestValue;
  let gradient: Float64Array = Float64Array.from(bestGradient);
  let hessian: number[][] | null = screened?.hessian ?? null;
  let newtonSteps = 0;
  if (hessian === null && exactObjective !== undefined) {
    const polished = polishByNewton(exactObjective, x, tolerance * 1e-4, MAX_NEWTON_STEPS, objective);
    if (polished !== null && polished.value <= value) {
      x = polished.x;
      value = polished.value;
      gradient = polished.gradient;
      hessian = polished.hessian;
      newtonSteps = polished.steps;
    }
  }
  const exactHessian = hessian !== null;
  // after a screened fit x is already polished to ‖∇F‖ ≤ tolerance·1e-4: the Hessian is for the standard errors only (forward differences)
  hessian ??= computeHessianFromGradient(gradientOnly, x, screened !== null && problem.forwardHessian === true && infinityNorm(gradient) <= tolerance * 1e-4 ? { gradientAtX: gradient } : {});
  const trialGradient = new Float64Array(k);
  for (let step = 0; !exactHessian && step < MAX_NEWTON_STEPS; step++) {
    const norm = infinityNorm(gradient);
    if (norm <= tolerance * 1e-4) break;
    const delta = solvePositiveDefinite(hessian, gradient);
    if (delta === null) break;
    let accepted = false;
    for (let halving = 0, length = 1; halving < 12; halving++, length *= 0.5) {
      const trial = new Float64Array(k);
      for (let i = 0; i < k; i++) trial[i] = x[i] - length * delta[i];
      const trialValue = objective(trial, trialGradient);
      if (!Number.isFinite(trialValue)) continue;
      if (acceptsPolishStep(x, value, gradient, trial, trialValue, trialGradient)) {
        x = trial;
        value = trialValue;
        gradient = Float64Array.from(trialGradient);
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    newtonSteps++;
    // a tiny step leaves the Hessian unchanged to O(step): skip 2k gradient evaluations
    if (infinityNorm(delta) > 1e-6) hessian = computeHessianFromGradient(gradientOnly, x);
    else break;
  }

  // the polish may carry a point that stalled on the slope towards a limit past its threshold, where the best point of
  // the starts counts as at that limit (MBG/NBD: L-BFGS meets its tolerance at a + b = 7e-6 on the way to a, b → 0, the
  // gradient in log a shrinking with a; the Newton steps go on to 2e-9)
  const polishedToLimit = bestX !== null && findBoundariesReached(directions, x).length > findBoundariesReached(directions, bestX).length ? chooseBoundaryFit(problem, directions, stopped, x, value) : null;
  if (polishedToLimit !== null) return boundaryResult(polishedToLimit);

  // 3. report
  const gradientNormPerObservation = infinityNorm(gradient);
  const logLikelihood = penalty === 0 ? -value * n : problem.logLikelihood(x, work);
  const boundary: string[] = [];
  for (let i = 0; i < k; i++) {
    if (Math.abs(x[i]) > LOG_BOUNDARY) boundary.push(`${problem.paramNames[i]} = ${format(Math.exp(x[i]))}`);
  }
  const gradientPassed = gradientNormPerObservation <= tolerance;
  // near 0 the log scale flattens a parameter's gradient (∂F/∂log θ = θ·∂F/∂θ): a stall there passes the tolerance,
  // so converged also needs the one-sided derivative there to point outward (the likelihood not rising into the interior)
  // — unless the curvature shows an optimum right here: a Newton step (positive definite Hessian) that moves θ by less
  // than NEAR_ZERO_STEP of itself. A stall on a rising slope has no such step (ℓ ≈ cθ: the step in log θ is ~1, or the
  // Hessian is not positive definite); an optimum on a small scale has (Pareto/NBD near its one-time-buyers limit:
  // β = 4.4e-8, rising 2.2e-6 per unit of β but by 1e-13 per unit of log β, the step 1e-8)
  const inward: string[] = [];
  let newtonStep: Float64Array | null | undefined;
  for (let i = 0; i < k; i++) {
    const theta = Math.exp(x[i]), rise = -gradient[i] / theta;
    if (!(theta < NEAR_ZERO && rise > tolerance)) continue;
    newtonStep ??= solvePositiveDefinite(hessian, gradient);
    if (newtonStep !== null && Math.abs(newtonStep[i]!) <= NEAR_ZERO_STEP) continue;
    inward.push(`${problem.paramNames[i]} = ${format(theta)} (the log-likelihood rises by ${format(rise)} per observation and unit of ${problem.paramNames[i]})`);
  }
  const converged = gradientPassed && boundary.length === 0 && inward.length === 0;

  const hessianTotal = hessian.map((row) => row.map((h) => h * n));
  const covariance = invertPositiveDefinite(hessianTotal);
  const params = {} as Record<string, number>;
  const stdErrors = {} as Record<string, number>;
  const intervals = {} as Record<string, readonly [number, number]>;
  for (let i = 0; i < k; i++) {
    const name = problem.paramNames[i];
    const theta = Math.exp(x[i]);
    const seLog = covariance === null ? NaN : Math.sqrt(covariance[i][i]);
    params[name] = theta;
    stdErrors[name] = theta * seLog;
    intervals[name] = [Math.exp(x[i] - Z95 * seLog), Math.exp(x[i] + Z95 * seLog)];
  }
  const covarianceLog = covariance ?? problem.paramNames.map(() => problem.paramNames.map(() => NaN));

  // e.g. ', 1 dropped on leaving the region near s, beta → 0'
  const droppedNote = dropped.length === 0 ? '' : `, ${dropped.length} dropped on leaving the region ${[...new Set(dropped)].join(' or ')}`;
  const parts: string[] = [];
  if (converged) {
    parts.push(
      `converged: gradient infinity norm ${format(gradientNormPerObservation)} per observation ≤ ${tolerance} ` +
        (screened === null
          ? `(best of ${startCount} starts, ${startsConverged} converged${droppedNote}; ${bestIterations} L-BFGS iterations + ${newtonSteps} Newton steps)`
          : `(best of ${startCount} starts screened on a weighted subsample, ${startsConverged} converged${droppedNote}, ` +
            `then polished on all rows${screened.hessian ? ' by Newton steps with the exact Hessian' : ''}; ${bestIterations} iterations + ${newtonSteps} Newton steps)`),
    );
  } else {
    if (!gradientPassed) {
      parts.push(
        `not converged: gradient infinity norm ${format(gradientNormPerObservation)} per observation > ${tolerance} at the best of ` +
          `${startCount} starts (${startsConverged} converged${droppedNote})` +
          (failures.length > 0 ? ` [${failures.join('; ')}]` : ''),
      );
    }
    if (inward.length > 0) {
      parts.push(`not converged: stopped near 0 where the likelihood still rises into the interior: ${inward.join(', ')}`);
    }
    if (boundary.length > 0) {
      parts.push(
        `not converged: parameter(s) at the boundary (${boundary.join(', ')}): the maximum likelihood estimate is not interior; ` +
          `the data may not identify this model — try a penalty`,
      );
    }
  }
  if (budgetExceeded !== null) parts.unshift(`not converged: ${budgetExceeded}`);
  if (covariance === null) {
    parts.push('observed information matrix is singular or not positive definite: standard errors, intervals and covariance are NaN');
  }

  // an interior optimum that does not beat a nested limit by the likelihood-ratio bound is that limit (fit-boundary.ts)
  const notBeaten = converged && budgetExceeded === null ? limitNotBeatenByInterior(directions, params, logLikelihood) : null;
  if (notBeaten !== null) return boundaryResult({ limit: notBeaten, stoppedRuns: stopped.length }, Object.entries(params).map(([name, v]) => `${name} = ${format(v)}`).join(', '));
  return {
    model: problem.model,
    params: params as P,
    logLikelihood,
    n,
    aic: 2 * k - 2 * logLikelihood,
    bic: k * Math.log(n) - 2 * logLikelihood,
    stdErrors: stdErrors as P,
    intervals95: intervals as FittedModel<P>['intervals95'],
    covarianceLog,
    fit: {
      converged: converged && budgetExceeded === null,
      iterations: bestIterations + newtonSteps,
      gradientNorm: gradientNormPerObservation * n,
      message: parts.join('; '),
      starts: startCount,
      startsConverged,
    },
    penalty,
  };
}
