/**
 * Pareto/NBD conditional expected purchases at several horizons at once: E[Y(t) | x, t_x, T] is P(alive) times a
 * closed form in t (paretonbd.ts `predictParetoNbdConditionalPurchases`), and P(alive) — the costly part, an integral
 * per row — does not depend on t. A CLV schedule asks for 12 horizons per row, and its parameter draws for 12 per draw:
 * P(alive) is computed once per row here instead of once per horizon, with the same functions, so every value is
 * bit-for-bit the one `predictParetoNbdConditionalPurchasesAll(params, t, data)` gives at that t.
 */
import type { RfmData } from '../model-types.js';
import { paretoNbdConditionalGivenAlive, predictParetoNbdProbabilityAlive } from './paretonbd.js';
import { createParetoNbdWorkspace, isValidCustomer, isValidParams, type ParetoNbdParams } from './paretonbd-likelihood.js';

/** Conditional expected purchases in (T, T+t] for every row of `data`, one array per t of `times`. */
export function predictParetoNbdConditionalPurchasesAtAll(params: ParetoNbdParams, times: ArrayLike<number>, data: RfmData): Float64Array[] {
  const out = Array.from({ length: times.length }, () => new Float64Array(data.frequency.length));
  const ws = createParetoNbdWorkspace();
  const validParams = isValidParams(params);
  for (let i = 0; i < data.frequency.length; i++) {
    const x = data.frequency[i]!, recency = data.recency[i]!, T = data.T[i]!;
    const valid = validParams && isValidCustomer(x, recency, T);
    const pAlive = valid ? predictParetoNbdProbabilityAlive(params, x, recency, T, ws) : NaN;
    for (let k = 0; k < times.length; k++) {
      const t = times[k]!;
      out[k]![i] = valid && t >= 0 ? paretoNbdConditionalGivenAlive(params, pAlive, t, x, T) : NaN;
    }
  }
  return out;
}
