/**
 * Gauss–Legendre quadrature nodes and weights on [−1, 1] (Newton's method on
 * the Legendre polynomials from Chebyshev-like guesses; Press et al.,
 * "Numerical Recipes", 3rd ed., §4.6 `gauleg`), and a log-space rule for
 * positive integrands: log ∫_a^b e^{g(τ)} dτ from g at the nodes.
 * Pure; the rule is computed once per node count and cached in a frozen table.
 */

export interface GaussLegendreRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

export function createGaussLegendreRule(n: number): GaussLegendreRule {
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const half = Math.floor((n + 1) / 2);
  for (let i = 0; i < half; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p1 = 1, p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      derivative = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / derivative;
      if (Math.abs(z - z1) <= 1e-15) break;
    }
    nodes[i] = -z;
    nodes[n - 1 - i] = z;
    weights[i] = weights[n - 1 - i] = 2 / ((1 - z * z) * derivative * derivative);
  }
  return { nodes, weights };
}

const RULE_64 = createGaussLegendreRule(64);

/**
 * log ∫_a^b e^{g(τ)} dτ by 64-point Gauss–Legendre, summed in log space (no
 * overflow for g in the thousands). Accurate for integrands that are smooth
 * on [a, b] at the scale of (b − a)/64.
 *
 * Example: logIntegrateExp((τ) => -τ, 0, 1) → log(1 − e^{−1}).
 */
export function logIntegrateExp(g: (tau: number) => number, a: number, b: number): number {
  const { nodes, weights } = RULE_64;
  const mid = 0.5 * (a + b), halfWidth = 0.5 * (b - a);
  let max = -Infinity;
  const values = new Float64Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    values[i] = g(mid + halfWidth * nodes[i]!);
    if (values[i]! > max) max = values[i]!;
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) sum += weights[i]! * Math.exp(values[i]! - max);
  return max + Math.log(sum * halfWidth);
}
