/**
 * Shared shapes of the value models. A fitted model is a plain, immutable,
 * JSON-serialisable value; predictions are functions that take its params.
 */

/**
 * Compressed calibration data for the continuous-time BTYD models: one entry
 * per unique (x, t_x, T) tuple with the number of customers that share it.
 * Per-customer data is the same with every weight = 1.
 */
export interface RfmData {
  /** repeat purchase count x */
  readonly frequency: Float64Array;
  /** t_x: time of last purchase since the first, in the time unit */
  readonly recency: Float64Array;
  /** T: time since the first purchase to the end of calibration */
  readonly T: Float64Array;
  /** number of customers with this tuple (1 when per customer) */
  readonly weight: Float64Array;
}

/** Outcome of an optimiser run, reported loudly: never mistake an iteration cap for convergence. */
export interface FitReport {
  readonly converged: boolean;
  readonly iterations: number;
  /** infinity norm of the gradient of the objective at the optimum (log-parameter scale) */
  readonly gradientNorm: number;
  readonly message: string;
  /** how many starting points were tried, and how many converged */
  readonly starts: number;
  readonly startsConverged: number;
}

/** A fitted model: params, fit quality, uncertainty. */
export interface FittedModel<P extends Record<string, number> = Record<string, number>> {
  readonly model: string;
  readonly params: P;
  readonly logLikelihood: number;
  /** number of customers (sum of weights) */
  readonly n: number;
  readonly aic: number;
  readonly bic: number;
  /** standard errors on the natural scale (delta method from the log-scale observed information) */
  readonly stdErrors: P;
  /** 95% intervals on the natural scale: exp(log p ± 1.96 se_log) */
  readonly intervals95: { readonly [K in keyof P]: readonly [number, number] };
  /** covariance of the log-parameters (inverse observed information), for sampling parameter uncertainty */
  readonly covarianceLog: readonly (readonly number[])[];
  readonly fit: FitReport;
  readonly penalty: number;
}
