/**
 * The data of MBG/CNBD-k and its limits (mbgcnbd.ts, cnbd-one-rate.ts), and the exact rescaling of the sums over
 * Erlang stages that all of them and the predictions (predict-mbgcnbd.ts) share.
 */
import type { RfmData } from '../model-types.js';

/** Per-customer data of MBG/CNBD-k: RfmData plus Σ log inter-purchase times. */
export interface RegularityData extends RfmData {
  /** litt: Σ log(inter-purchase times) over the x gaps, in the time unit (0 when x = 0) */
  readonly litt: Float64Array;
}

/**
 * S₂'s terms are summed in linear space but rescaled by this power of two whenever one exceeds it, with the
 * scale kept as a logarithm: exact (division by a power of two does not round), so where the plain sum is
 * finite the result is the same to the last bit or two, and S₂ stays finite for any k (predict-mbgcnbd.ts
 * scales its phase weights the same way).
 */
export const S2_SCALE_BITS = 600;
export const S2_SCALE = 2 ** S2_SCALE_BITS;
export const S2_LOG_SCALE = S2_SCALE_BITS * Math.LN2;
