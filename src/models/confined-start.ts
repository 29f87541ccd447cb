/**
 * A start of a maximum-likelihood fit confined to one region of the parameter
 * space (`MaximumLikelihoodProblem.confinedStarts`, fit-maximum-likelihood.ts;
 * screened the same way in screen-starts.ts), and the watched run of a start.
 */
import { minimizeLbfgs, type LbfgsOptions, type LbfgsResult } from '../math/lbfgs.js';

/** A start confined to a region (see `MaximumLikelihoodProblem.confinedStarts`). */
export interface ConfinedStart {
  /** the start on the log scale */
  readonly start: Float64Array;
  /** the region in words, for the fit's message, e.g. 'near s, beta → 0' */
  readonly region: string;
  /**
   * true when the log-parameters are outside the region (checked after every accepted iteration, before the boundary
   * watch: a path that leaves its region in the step that takes it past a boundary's threshold is dropped, not stopped
   * there — its limit is the ordinary starts' to find; MBG/NBD's start near a, b → 0 jumps on CDNOW-like data from
   * a + b = 0.08 to 1.4 and b/a = 2e4 in one step)
   */
  leaves(logParams: Float64Array): boolean;
}

/**
 * One L-BFGS run from `start`, stopped by `watch` (a `BoundaryWatch`, fit-boundary.ts) and, for a confined start, as
 * soon as its path leaves its region — checked first, so a run that leaves its region in the step that passes a
 * boundary's threshold is dropped (`left`), not stopped at that boundary. The fits and the screen run every start so.
 */
export function runWatched(
  objective: (x: Float64Array, gradient: Float64Array) => number,
  start: Float64Array,
  confined: ConfinedStart | undefined,
  watch: { observe(logParams: Float64Array): boolean },
  options: Pick<LbfgsOptions, 'maxIterations' | 'gradientTolerance'>,
): { result: LbfgsResult; left: boolean } {
  let left = false;
  const result = minimizeLbfgs(objective, start, { ...options, onIteration: (z) => (left = confined?.leaves(z) === true) || watch.observe(z) });
  return { result, left };
}
