/**
 * Estimates that run off to the edge of the parameter space, recognised from
 * the optimiser's path instead of by spending a budget.
 *
 * A model declares its escape directions (`BoundaryDirection`): a scalar
 * `escape(z)` of the log-parameters that grows without bound along the
 * direction (log r for "r, α → ∞", log(b/a) for "a/b → 0", …) and a
 * threshold past which the model is, for every practical purpose, its limit
 * (r ≥ 1e4: the purchase rates' coefficient of variation 1/√r ≤ 1%).
 * `BoundaryWatch` stops an L-BFGS run once the escape measure has passed the
 * threshold and grown on each of the last `RISING` accepted iterations.
 * Where the limit is a model of its own (BG/NBD with a/b → 0 is the NBD, an
 * NBD with r → ∞ is the Poisson), `fitLimit` fits it — closed form or two
 * parameters — and returns its estimates in the full model's parameters.
 */

/** Where a fit ended when its estimates ran off: reported in `FittedModel.fit.boundary`. */
export interface FitBoundary {
  /** the parameters that run off, e.g. ['r', 'alpha'] */
  readonly parameters: readonly string[];
  /** the limit, e.g. "r, alpha → ∞ with r/alpha fixed" */
  readonly limit: string;
  /** what the limit means for the customers, e.g. "no heterogeneity in purchase rates (Poisson)" */
  readonly meaning: string;
  /** the limiting model fitted in the full model's place (e.g. "NBD", "Poisson"); absent: the estimates are where the optimiser stopped */
  readonly limitModel?: string;
  /**
   * the limiting model's own fit converged (closed form, or an interior optimum of the limit that met the gradient
   * tolerance): the estimates are then a converged fit of that limit (see `reachedOptimum`); absent or false: not
   */
  readonly limitConverged?: boolean;
  /**
   * the limiting model's own parameters where its predictions have closed forms of their own
   * (btyd/limit-predictions.ts), e.g. { r, alpha, pi } for the zero-inflated NBD: a purchase model's predictors then
   * predict with those, not with its own formulas at the parameters the limit is written back as (β = 1e-300 in the
   * Pareto/NBD's s, β → 0, r = 1e8 for the Poisson), which reach the limit only approximately
   */
  readonly limitParams?: Readonly<Record<string, number>>;
  /**
   * present when the fit converged in the interior but its log-likelihood was less than `threshold` above this limit's
   * (`interiorLogLikelihood` − the limit's = `difference`): the parameter the limit removes is not identified by the
   * data, so the limit stands in for the interior optimum (`limitNotBeatenByInterior`)
   */
  readonly likelihoodRatio?: { readonly interiorLogLikelihood: number; readonly difference: number; readonly threshold: number };
}

/**
 * Whether a fit found its optimum: it converged in the interior, or its estimates ran off to a boundary whose limiting
 * model was fitted in its place and converged (BG/NBD with nobody dropping out is the NBD fitted properly). The one
 * rule by which the tournaments tell fits that settled from fits that stopped short (model-tournament.ts,
 * honest-tournament.ts); `fit.converged` itself stays false at a boundary, where the full model has no interior
 * optimum and no standard errors.
 *
 * Example: BG/NBD on steady buyers → `{ converged: false, boundary: { limitModel: 'NBD', limitConverged: true } }` → true.
 */
export function reachedOptimum(fit: { readonly converged: boolean; readonly boundary?: FitBoundary }): boolean {
  return fit.converged || fit.boundary?.limitConverged === true;
}

/** A limiting model's estimates, written in the full model's parameters. */
export interface LimitFit {
  readonly params: Record<string, number>;
  readonly logLikelihood: number;
  readonly boundary: FitBoundary;
}

export interface BoundaryDirection extends FitBoundary {
  /** grows without bound along the direction (a function of the log-parameters) */
  escape(logParams: Float64Array): number;
  /** past this value of `escape` the model is its limit */
  readonly threshold: number;
  /** fit the limiting model; `stoppedAt` is the full model's natural params where the path was stopped */
  fitLimit?(stoppedAt: Record<string, number>): LimitFit | null;
  /** an interior optimum must beat this limit by LIKELIHOOD_RATIO_MARGIN to stand (`limitNotBeatenByInterior`) */
  readonly likelihoodRatioTest?: boolean;
}

/**
 * How much a fit must beat a limit one parameter short of it by before that parameter counts as shown by the data:
 * 1.92, half the 95% quantile of χ² with one degree of freedom (the likelihood-ratio bound).
 */
export const LIKELIHOOD_RATIO_MARGIN = 1.92;

/**
 * The limit an interior optimum does not beat by LIKELIHOOD_RATIO_MARGIN, among the directions that ask for the test
 * (`likelihoodRatioTest`: the no-dropout limit, the NBD) and whose limit converged; null when every such limit is
 * beaten. The optimum then counts as on that boundary, as a path that ran off to it does: its estimates of the removed
 * parameter are not identified (their intervals span orders of magnitude), and neither is what they decide (P(alive)).
 *
 * Example: Online Retail in weeks, BG/NBD converged at a = 0.0031, b = 7.25, log-likelihood −37,459.81 against the
 * NBD's −37,459.90 → the NBD, with `likelihoodRatio` { difference: 0.09, threshold: 1.92 }.
 */
export function limitNotBeatenByInterior(directions: readonly BoundaryDirection[], at: Record<string, number>, logLikelihood: number): LimitFit | null {
  for (const direction of directions) {
    if (direction.likelihoodRatioTest !== true || !Number.isFinite(logLikelihood)) continue;
    const limit = direction.fitLimit?.(at) ?? null;
    if (limit === null || limit.boundary.limitConverged !== true || !Number.isFinite(limit.logLikelihood)) continue;
    const difference = logLikelihood - limit.logLikelihood;
    if (difference < LIKELIHOOD_RATIO_MARGIN) return { ...limit, boundary: { ...limit.boundary, likelihoodRatio: { interiorLogLikelihood: logLikelihood, difference, threshold: LIKELIHOOD_RATIO_MARGIN } } };
  }
  return null;
}

/**
 * Where a fit sits on a boundary, in one clause: the limit, what the data show there and the model fitted in its place
 * ('' in the interior).
 *
 * Example: MBG/CNBD-k on buyers who never drop out → "its estimates run off to a/b → 0 (no dropout: customers keep buying at their regular pace …): CNBD-564 was fitted in its place"
 */
export function describeBoundary(fit: { readonly boundary?: FitBoundary }): string {
  const b = fit.boundary;
  return b ? `its estimates run off to ${b.limit} (${b.meaning})${b.limitModel ? `: ${b.limitModel} was fitted in its place` : ''}` : '';
}

/** Consecutive rising escape values past the threshold that count as "heading for the boundary". */
const RISING = 3;

/** Follows one optimiser run; `observe` returns true when the path heads for a boundary. */
export class BoundaryWatch {
  /** the direction that stopped the run, if any */
  hit: BoundaryDirection | null = null;
  private readonly history: number[][];
  constructor(private readonly directions: readonly BoundaryDirection[]) {
    this.history = directions.map(() => []);
  }
  observe(logParams: Float64Array): boolean {
    for (let d = 0; d < this.directions.length; d++) {
      const direction = this.directions[d]!;
      const values = this.history[d]!;
      values.push(direction.escape(logParams));
      if (values.length > RISING) values.shift();
      if (values.length === RISING && values[RISING - 1]! > direction.threshold && values.every((v, i) => i === 0 || v > values[i - 1]!)) {
        this.hit = direction;
        return true;
      }
    }
    return false;
  }
}

/** Directions whose escape measure at `logParams` is past their threshold. */
export function findBoundariesReached(directions: readonly BoundaryDirection[], logParams: Float64Array): BoundaryDirection[] {
  return directions.filter((d) => d.escape(logParams) > d.threshold);
}

/**
 * Threshold of "r → ∞" (no heterogeneity): r ≥ 1e4, the rates' coefficient
 * of variation 1/√r ≤ 1%. Higher thresholds are not reached: the gradient in
 * log r falls like 1/r, so L-BFGS meets its tolerance near r ≈ 1e6 on a
 * likelihood that still rises towards the Poisson.
 */
export const NO_HETEROGENEITY_LOG_THRESHOLD = Math.log(1e4);
/** Threshold of "no dropout": mean dropout (a/b per purchase, s/β per time unit) ≤ 1e-4. */
export const NO_DROPOUT_LOG_THRESHOLD = Math.log(1e4);

/** Mean times between purchases (1/rate) a mean lifetime must reach, besides 1e4 time units, to count as no dropout. */
const NO_DROPOUT_INTERPURCHASE_TIMES = 100;

/**
 * Threshold of "no dropout" for a dropout rate per time unit (the Pareto/NBD's s/β), on data buying at `rate`
 * purchases per time unit: a mean lifetime β/s of at least 1e4 time units and at least 100 mean times between
 * purchases. The second keeps the test free of the unit: in a fine unit (hours of a shop whose customers buy twice a
 * year, a summary in minutes) 1e4 units is a short time, and the fit's own starts (β/s = 1/rate) lay past it (the CDNOW
 * summary in weeks × 1,000 stopped at the NBD, 168.6 below its interior optimum). In weeks and days, where a mean time
 * between purchases is under 100 units, it is 1e4 units, as for a/b.
 */
export function noDropoutLogThresholdPerTime(rate: number): number {
  return Math.max(NO_DROPOUT_LOG_THRESHOLD, Math.log(NO_DROPOUT_INTERPURCHASE_TIMES / rate));
}

/**
 * Two parameters that grow together with their ratio fixed (a, b → ∞ with
 * a/b fixed; s, β → ∞ with s/β fixed): the mixing distribution collapses to
 * a point. Escape measure: the smaller of the two log-parameters. With
 * `fitLimit` the limiting model is fitted (BG/NBD, MBG/NBD: one dropout
 * probability, bgnbd/common-dropout-limit.ts; Pareto/NBD: one dropout rate,
 * paretonbd/paretonbd-common-dropout-limit.ts); without, the estimates are
 * where the optimiser was stopped (there the spread is already below 1%).
 */
export function jointGrowthDirection(first: number, second: number, parameters: readonly [string, string], meaning: string, fitLimit?: BoundaryDirection['fitLimit']): BoundaryDirection {
  return {
    parameters,
    limit: `${parameters[0]}, ${parameters[1]} → ∞ with ${parameters[0]}/${parameters[1]} fixed`,
    meaning,
    escape: (z) => Math.min(z[first]!, z[second]!),
    threshold: NO_HETEROGENEITY_LOG_THRESHOLD,
    ...(fitLimit ? { fitLimit } : {}),
  };
}

/**
 * The boundary fit, when the data support a limit better than any interior
 * optimum: every direction a start ran off in (or the best point lies past)
 * offers its limiting model, and the point where the path was stopped unless
 * that limit was fitted and converged; the highest log-likelihood among those
 * and the best interior start wins.
 */
export function chooseBoundaryFit(
  problem: { readonly paramNames: readonly string[]; readonly n: number },
  directions: readonly BoundaryDirection[],
  stopped: readonly { direction: BoundaryDirection; x: Float64Array; value: number }[],
  bestX: Float64Array | null,
  bestValue: number,
): { limit: LimitFit; stoppedRuns: number } | null {
  const reachedByBest = bestX === null ? [] : findBoundariesReached(directions, bestX);
  if (stopped.length === 0 && reachedByBest.length === 0) return null;
  const natural = (z: Float64Array) => Object.fromEntries(problem.paramNames.map((name, i) => [name, Math.exp(z[i]!)]));
  const candidates: LimitFit[] = [];
  const runs = [...stopped, ...reachedByBest.map((direction) => ({ direction, x: bestX!, value: bestValue }))];
  for (const run of runs) {
    const at = natural(run.x);
    const limit = run.direction.fitLimit?.(at) ?? null;
    if (limit !== null && Number.isFinite(limit.logLikelihood)) candidates.push(limit);
    // a point on the way to a limit that was fitted and converged is not a candidate of its own: far out (r near 1e8)
    // the two agree but for the rounding of the full model's log-gamma terms, which must not decide
    if (limit?.boundary.limitConverged === true && Number.isFinite(limit.logLikelihood)) continue;
    if (Number.isFinite(run.value)) candidates.push({ params: at, logLikelihood: -run.value * problem.n, boundary: { parameters: run.direction.parameters, limit: run.direction.limit, meaning: run.direction.meaning } });
  }
  if (candidates.length === 0) return null;
  const best = candidates.reduce((a, b) => (b.logLikelihood > a.logLikelihood ? b : a));
  // an interior optimum at least as good (to rounding) keeps the ordinary fit
  const interior = reachedByBest.length > 0 || bestX === null ? -Infinity : -bestValue * problem.n;
  if (!(best.logLikelihood > interior + 1e-9 * problem.n)) return null;
  return { limit: best, stoppedRuns: stopped.length };
}
