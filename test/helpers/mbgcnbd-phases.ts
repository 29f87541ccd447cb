import { regularizedIncompleteBeta } from '../../src/math/special-functions.js';
import type { MbgCnbdParams } from '../../src/models/mbgcnbd/mbgcnbd.js';
import { computeMbgCnbdPhases } from '../../src/models/mbgcnbd/predict-mbgcnbd.js';

/** E[purchases in t | alive, phase j] as the file header writes it (n summed until its terms fall below 1e-12 of the total). */
export function purchasesInPhase(k: number, { r, alpha, a, b }: MbgCnbdParams, t: number, x: number, T: number, j: number): number {
  let survival = 1, sum = 0;
  for (let n = 1; n <= 100_000; n++) {
    const term = survival * regularizedIncompleteBeta(t / (alpha + T + t), n * k - j, r + k * x + j, (alpha + T) / (alpha + T + t));
    sum += term;
    if (term <= 1e-12 * sum || !(term > 0)) break;
    survival *= (b + x + n) / (a + b + x + n);
  }
  return sum;
}

/** Σ over every phase j = 0 … k−1 in order (the code before session 9), given alive. */
export function everyPhase(k: number, params: MbgCnbdParams, x: number, tx: number, T: number, term: (j: number) => number): number {
  const { weights } = computeMbgCnbdPhases(k, params, x, tx, T);
  let total = 0;
  for (let j = 0; j < k; j++) if (weights[j]! > 0) total += weights[j]! * term(j);
  return total;
}

