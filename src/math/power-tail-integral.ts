/**
 * log I and ∂ log I/∂(P, Q, M, m) for the tail integral
 *   I(t) = ∫_t^∞ (M+τ)^{−P} (m+τ)^{−Q} dτ,   M + t > 0, m + t > 0, P, Q ≥ 0, P + Q > 1,
 * at a cost that does not depend on the size of P, Q, M or m.
 *
 * Method: Laplace's substitution w = h(t+u) − h(t), h(τ) = P ln(M+τ) + Q ln(m+τ),
 * turns the integral into ∫_0^∞ e^{−w} g(w) dw with g = du/dw = 1/h′(t+u(w)),
 * summed by n-point Gauss–Laguerre quadrature (nodes and weights by Newton's
 * method on the Laguerre polynomials, Press et al., "Numerical Recipes", 3rd
 * ed., §4.6, `gaulag`). u(w) is found by Newton's method on the concave
 * increasing w(u), started right of the root (then every later iterate is left
 * of it and rises monotonically). g is smooth and grows only like
 * e^{w/(P+Q)}; its nearest singularity (h′ = 0, at m+τ = −QΔ/(P+Q)) lies
 * at |w| ≳ 4 whenever m+t ≥ 4(M−m)/P — the regime where the hypergeometric
 * series of the Pareto/NBD (`sumPhi`) needs ~10·P terms. There the rule
 * agrees with the series to ≤ 1e-13 relative (test/math/power-tail-integral.test.ts).
 *
 * The gradient is a quadrature of the same nodes: ∂ log I/∂P = −⟨ln(M+τ)⟩,
 * ∂/∂Q = −⟨ln(m+τ)⟩, ∂/∂M = −P⟨1/(M+τ)⟩, ∂/∂m = −Q⟨1/(m+τ)⟩, ⟨·⟩ the mean
 * under the normalised integrand. Pure: no state between calls.
 */

/** Number of Gauss–Laguerre nodes. */
const NODES = 32;

function gaussLaguerre(n: number): { nodes: Float64Array; logWeights: Float64Array } {
  const nodes = new Float64Array(n);
  const logWeights = new Float64Array(n);
  let z = 0;
  for (let i = 0; i < n; i++) {
    // initial guesses (Numerical Recipes gaulag, α = 0)
    if (i === 0) z = 3 / (1 + 2.4 * n);
    else if (i === 1) z += 15 / (1 + 2.5 * n);
    else {
      const ai = i - 1;
      z += ((1 + 2.55 * ai) / (1.9 * ai)) * (z - nodes[i - 2]!);
    }
    let derivative = 0, previous = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p1 = 1, p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1 - z) * p2 - j * p3) / (j + 1);
      }
      previous = p2;
      derivative = (n * p1 - n * p2) / z;
      const z1 = z;
      z = z1 - p1 / derivative;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, z)) break;
    }
    nodes[i] = z;
    // w_i = −1/(L_n′(x_i)·n·L_{n−1}(x_i)) with L_n′ = derivative: in logs to keep the tiny weights
    logWeights[i] = -Math.log(Math.abs(derivative * n * previous));
  }
  return { nodes, logWeights };
}

const RULE = gaussLaguerre(NODES);

/**
 * log I(t) and its gradient w.r.t. (P, Q, M, m), written to
 * gradient[offset … offset+3]; see the file comment. `shiftedM` = M+t,
 * `shiftedSmall` = m+t (either may be the larger one). NaN for invalid input.
 *
 * With `rate` > 0 the integrand carries a factor e^{−rate·(τ−t)} (the Poisson
 * limit of a third power factor), the value is log of e^{rate·t}·I(t) and
 * gradient[offset+4] its derivative by the rate, −⟨τ − t⟩; then P + Q may be ≤ 1.
 *
 * Example: P = 1e6, Q = 1.5, M = 1e7, m = 100, t = 10 → the same value as the
 * series 2F1(1, P; P+Q; (M−m)/(M+t)) form, in 32 nodes instead of ~10⁷ terms.
 */
export function computeLogPowerTailIntegral(P: number, Q: number, shiftedM: number, shiftedSmall: number, gradient: Float64Array, offset = 0, rate = 0): number {
  const A = shiftedM, B = shiftedSmall;
  if (!(A > 0) || !(B > 0) || !(P >= 0) || !(Q >= 0) || !(rate >= 0) || !(P + Q > 1 || rate > 0)) {
    for (let i = 0; i < (rate > 0 ? 5 : 4); i++) gradient[offset + i] = NaN;
    return NaN;
  }
  const logA = Math.log(A), logB = Math.log(B);
  const { nodes, logWeights } = RULE;
  let total = 0, sumLogM = 0, sumLogSmall = 0, sumInverseM = 0, sumInverseSmall = 0, sumU = 0;
  let logScale = NaN;
  let u = 0;
  for (let j = 0; j < NODES; j++) {
    const w = nodes[j]!;
    // start right of the root: each one-term solution is ≥ the root
    const uP = P > 0 ? A * Math.expm1(w / P) : Infinity;
    const uQ = Q > 0 ? B * Math.expm1(w / Q) : Infinity;
    u = Math.min(uP, uQ, rate > 0 ? w / rate : Infinity);
    let logM = 0, logSmall = 0; // ln(1 + u/A), ln(1 + u/B) at the final u
    for (let iteration = 0; iteration < 60; iteration++) {
      logM = Math.log1p(u / A);
      logSmall = Math.log1p(u / B);
      const f = P * logM + Q * logSmall + rate * u - w;
      // quadratic convergence: once |f| ≤ 1e-13·w the next step would change u by < 1e-13 relative
      if (Math.abs(f) <= 1e-13 * w) break;
      const slope = P / (A + u) + Q / (B + u) + rate;
      const next = u - f / slope;
      u = next > 0 ? next : u / 2;
    }
    const inverseM = 1 / (A + u), inverseSmall = 1 / (B + u);
    // weight of node j: ω_j / h′; kept relative to the first node's
    const logTerm = logWeights[j]! - Math.log(P * inverseM + Q * inverseSmall + rate);
    if (j === 0) logScale = logTerm;
    const c = Math.exp(logTerm - logScale);
    total += c;
    sumLogM += c * (logA + logM);
    sumLogSmall += c * (logB + logSmall);
    sumInverseM += c * inverseM;
    sumInverseSmall += c * inverseSmall;
    sumU += c * u;
  }
  const inverse = 1 / total;
  gradient[offset] = -sumLogM * inverse;
  gradient[offset + 1] = -sumLogSmall * inverse;
  gradient[offset + 2] = -P * sumInverseM * inverse;
  gradient[offset + 3] = -Q * sumInverseSmall * inverse;
  if (rate > 0) gradient[offset + 4] = -sumU * inverse;
  return -P * logA - Q * logB + logScale + Math.log(total);
}
