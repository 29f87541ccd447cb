/**
 * Hessian of a smooth function from its analytic gradient by central
 * differences: H[i][j] ≈ (∂_i f(x + h_j e_j) − ∂_i f(x − h_j e_j)) / (2 h_j),
 * then symmetrised (H + Hᵀ)/2. Truncation error O(h²), rounding error
 * O(ε·|∇f|/h); the default step h_j = 1e-4·max(1, |x_j|) balances both for
 * objectives scaled to O(1) on a log-parameter scale (~1e-8 relative).
 * Costs 2·n gradient evaluations.
 *
 * Non-finite gradients at a probe point leave NaN in the affected column, so
 * callers see a NaN Hessian (and report it) instead of a silently wrong one.
 */
export interface HessianOptions {
  /** relative step (default 1e-4, or 1e-5 with `gradientAtX`); the absolute step is step·max(1, |x_j|) */
  step?: number;
  /**
   * the gradient at x, when known: forward differences (∂_i f(x + h_j e_j) − ∂_i f(x)) / h_j, n gradient
   * evaluations instead of 2n, truncation error O(h) (~1e-5 relative with the default step) — for a
   * Hessian wanted only for standard errors at an optimum already found
   */
  gradientAtX?: ArrayLike<number>;
}

export function computeHessianFromGradient(
  gradient: (x: Float64Array, out: Float64Array) => void,
  x: ArrayLike<number>,
  options: HessianOptions = {},
): number[][] {
  const n = x.length;
  const atX = options.gradientAtX;
  const relativeStep = options.step ?? (atX ? 1e-5 : 1e-4);
  const probe = Float64Array.from(x);
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  const columns: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const h = relativeStep * Math.max(1, Math.abs(x[j]));
    probe[j] = x[j] + h;
    const up = probe[j] - x[j]; // exact representable step
    gradient(probe, plus);
    let down = 0;
    if (atX) {
      for (let i = 0; i < n; i++) minus[i] = atX[i]!;
    } else {
      probe[j] = x[j] - h;
      down = x[j] - probe[j];
      gradient(probe, minus);
    }
    probe[j] = x[j];
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = (plus[i] - minus[i]) / (up + down);
    columns.push(column);
  }
  const hessian: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) hessian[i][j] = 0.5 * (columns[j][i] + columns[i][j]);
  }
  return hessian;
}
