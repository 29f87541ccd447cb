/**
 * The logistic function σ(x) = 1/(1 + e^{−x}), evaluated without overflow:
 * e^{x}/(1 + e^{x}) for x < 0. σ(±800) = 1 / 0 exactly; σ(x) + σ(−x) = 1.
 *
 * Example: `sigmoid(0)` → 0.5
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
