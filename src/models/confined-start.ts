/**
 * A start of a maximum-likelihood fit confined to one region of the parameter
 * space (`MaximumLikelihoodProblem.confinedStarts`, fit-maximum-likelihood.ts;
 * screened the same way in screen-starts.ts).
 */

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
