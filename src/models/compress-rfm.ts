import type { RfmData } from './model-types.js';

/** Unique (x, t_x, T) tuples with counts, and which tuple each customer has. */
export interface CompressedRfm {
  readonly tuples: RfmData;
  /** per input row: index of its tuple */
  readonly tupleOf: Uint32Array;
}

/**
 * Compress per-customer RFM rows to unique tuples (weights add up). Tuples
 * come out in order of first appearance. The warehouse does the same in SQL
 * (`buildCompressedSummarySql`) when the rows never need to leave it.
 */
export function compressRfm(data: RfmData): CompressedRfm {
  const n = data.frequency.length;
  const seen = new Map<string, number>();
  const tupleOf = new Uint32Array(n);
  const frequency: number[] = [];
  const recency: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${data.frequency[i]}|${data.recency[i]}|${data.T[i]}`;
    let k = seen.get(key);
    if (k === undefined) {
      k = frequency.length;
      seen.set(key, k);
      frequency.push(data.frequency[i]!);
      recency.push(data.recency[i]!);
      T.push(data.T[i]!);
      weight.push(0);
    }
    weight[k]! += data.weight[i]!;
    tupleOf[i] = k;
  }
  return {
    tuples: { frequency: Float64Array.from(frequency), recency: Float64Array.from(recency), T: Float64Array.from(T), weight: Float64Array.from(weight) },
    tupleOf,
  };
}

/** Spread per-tuple values back to customers. */
export function expandTupleValues(values: Float64Array, tupleOf: Uint32Array): Float64Array {
  const out = new Float64Array(tupleOf.length);
  for (let i = 0; i < tupleOf.length; i++) out[i] = values[tupleOf[i]!]!;
  return out;
}

/**
 * The rows a purchase model can be fitted on: customers whose first purchase
 * is on the last day of the window (T = 0) add nothing to the likelihood
 * (it is 1 for every parameter value) and are left out of the fit; they are
 * still scored.
 */
export function withPositiveAge(data: RfmData): RfmData {
  let kept = 0;
  for (let i = 0; i < data.T.length; i++) if (data.T[i]! > 0) kept++;
  if (kept === data.T.length) return data;
  const pick = (values: Float64Array) => {
    const out = new Float64Array(kept);
    for (let i = 0, k = 0; i < values.length; i++) if (data.T[i]! > 0) out[k++] = values[i]!;
    return out;
  };
  return { frequency: pick(data.frequency), recency: pick(data.recency), T: pick(data.T), weight: pick(data.weight) };
}
