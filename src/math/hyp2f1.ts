/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and
 * real z < 1 (z = 1 by Gauss's theorem), evaluated in log space: the result is
 * log|2F1| and its sign, so values far beyond 1e308 (Pareto/NBD with x ≈ 1,000,
 * BG/NBD with x ≈ 300) stay representable.
 *
 * Method (Abramowitz & Stegun 1964, §15.3; Pearson, Olver & Porter 2017,
 * "Numerical methods for the computation of the confluent and Gaussian
 * hypergeometric functions", Numer. Algorithms 74, §4):
 *
 * - z < 0: Pfaff transformations (A&S 15.3.4/15.3.5) map z to w = z/(z−1) ∈ (0, 1);
 *   both variants are tried and the better-conditioned one kept.
 * - 0 ≤ z < 1: candidates, each with an a-posteriori relative-error estimate
 *   (rounding error amplified by cancellation, Σ|terms| / |Σ terms|):
 *   the Maclaurin series of 2F1(a, b; c; z); the series of the Euler transform
 *   (1−z)^(c−a−b) 2F1(c−a, c−b; c; z) (A&S 15.3.3), which converges much faster
 *   when c−a−b ≪ 0; and, for z > 1/2, the 1−z transformation — A&S 15.3.6 when
 *   m = c−a−b is not an integer, the logarithmic limit forms A&S 15.3.10/15.3.11
 *   when it is (m < 0 first goes through the Euler transform, so m ≥ 0). The
 *   cheapest candidate is evaluated first, the others only when its error
 *   estimate exceeds 1e-13; the one with the smallest estimate wins.
 * - Series are summed with running rescaling (no overflow), with a rigorous
 *   tail bound once every Pochhammer factor is positive.
 *
 * Special cases: z = 0, a = 0 or b = 0 → 1 (log 0, sign +1); a or b a
 * non-positive integer → the terminating polynomial; c a non-positive integer
 * (without an earlier termination) → NaN; z > 1 or NaN input → NaN;
 * z = 1 → Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) when c−a−b > 0, else +Infinity.
 * When 2F1 is exactly zero, logAbs = −Infinity and sign = 0. When no method
 * reaches an estimated relative error of 1e-6 — parameters of mixed sign and
 * large magnitude where 2F1 is exponentially smaller than its terms, e.g.
 * (a, b, c, z) = (39.8, 23.6, −13.9, −0.66); nowhere in the BTYD regimes —
 * the result is NaN rather than a wrong number (4 of 600 random mixed-sign
 * cases with |a|, |b|, |c| ≤ 60 during development).
 *
 * Accuracy (against mpmath, test/math/hyp2f1.test.ts): |error of logAbs| ≤ 4e-12
 * over the Pareto/NBD rows (worst at z = 0.99999 with b = 0.01, where the two
 * terms of the 1−z transformation cancel), ≤ 5e-15 over the BG/NBD rows.
 * Values with c−a−b within 1e-9 of a non-zero integer use the integer formula
 * unless a series is accurate, with an extra error of order
 * |c−a−b − round(c−a−b)|. Cost: usually tens to a few thousand terms; when
 * the 1−z transformation's error estimate exceeds 1e-13 (cancellation between
 * its two terms, or log Γ of arguments ~1,000 carrying ~1e-12) the Maclaurin
 * series is tried as well, up to 2·10^6 terms (the z = 0.9999 fixture rows take
 * ~3 ms each this way).
 */
import { digamma, gammaln } from './special-functions.js';

/** log|2F1(a,b;c;z)| and its sign, for real a, b, c and z < 1 */
export function logHyp2f1(a: number, b: number, c: number, z: number): { logAbs: number; sign: number } {
  const result = evaluate(a, b, c, z);
  if (!(result.relError <= MAX_ACCEPTED_ERROR)) return { logAbs: NaN, sign: NaN };
  return { logAbs: result.logAbs, sign: result.sign };
}

/** A signed value in log space with an estimate of its relative error. */
interface Estimate {
  logAbs: number;
  sign: number;
  relError: number;
}

const EPS = 2.220446049250313e-16;
/** accept a candidate without trying others when its error estimate is below this */
const GOOD_ENOUGH = 1e-13;
const MAX_SERIES_TERMS = 2_000_000;
/** above this estimated relative error the value is not trusted: NaN */
const MAX_ACCEPTED_ERROR = 1e-6;
const RESCALE = 1e250;
const LOG_RESCALE = Math.log(RESCALE);
/** |m − round(m)| below this counts as an integer c − a − b */
const INTEGER_TOLERANCE = 1e-9;

const NAN_ESTIMATE: Estimate = { logAbs: NaN, sign: NaN, relError: Infinity };
const ONE: Estimate = { logAbs: 0, sign: 1, relError: 0 };

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

function evaluate(a: number, b: number, c: number, z: number): Estimate {
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c) || Number.isNaN(z)) return NAN_ESTIMATE;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || !Number.isFinite(z)) return NAN_ESTIMATE;
  if (z > 1) return NAN_ESTIMATE;
  if (z === 0 || a === 0 || b === 0) return ONE;
  // terminating series: a or b a non-positive integer
  const aTerm = isNonPositiveInteger(a);
  const bTerm = isNonPositiveInteger(b);
  if (aTerm || bTerm) {
    const degree = Math.min(aTerm ? -a : Infinity, bTerm ? -b : Infinity);
    if (isNonPositiveInteger(c) && -c < degree) return NAN_ESTIMATE;
    return polynomial(a, b, c, z, degree);
  }
  if (isNonPositiveInteger(c)) return NAN_ESTIMATE;
  if (z === 1) return gaussSum(a, b, c);
  if (z < 0) return negativeZ(a, b, c, z);
  return positiveZ(a, b, c, z);
}

/** 2F1 at z = 1 (Gauss, A&S 15.1.20). */
function gaussSum(a: number, b: number, c: number): Estimate {
  const m = c - a - b;
  if (!(m > 0)) return { logAbs: Infinity, sign: 1, relError: 0 };
  const num = signedGamma(c);
  const num2 = signedGamma(m);
  const den1 = signedGamma(c - a);
  const den2 = signedGamma(c - b);
  if (den1.logAbs === Infinity || den2.logAbs === Infinity) return { logAbs: -Infinity, sign: 0, relError: 0 };
  return {
    logAbs: num.logAbs + num2.logAbs - den1.logAbs - den2.logAbs,
    sign: num.sign * num2.sign * den1.sign * den2.sign,
    relError: 1e-14,
  };
}

/** z < 0: Pfaff, 2F1(a,b;c;z) = (1−z)^(−a) 2F1(a, c−b; c; z/(z−1)) = (1−z)^(−b) 2F1(c−a, b; c; z/(z−1)). */
function negativeZ(a: number, b: number, c: number, z: number): Estimate {
  const w = z / (z - 1);
  const log1mz = Math.log1p(-z);
  let best = NAN_ESTIMATE;
  // Try the variant whose new upper parameters are non-negative first: it tends to keep series positive.
  const order: Array<[number, number, number]> = c - b >= 0 || c - a < 0 ? [[a, c - b, a], [c - a, b, b]] : [[c - a, b, b], [a, c - b, a]];
  for (const [pa, pb, power] of order) {
    const inner = evaluate(pa, pb, c, w);
    const cand: Estimate = { logAbs: inner.logAbs - power * log1mz, sign: inner.sign, relError: inner.relError };
    best = better(best, cand);
    if (best.relError < GOOD_ENOUGH) break;
  }
  return best;
}

function better(x: Estimate, y: Estimate): Estimate {
  if (Number.isNaN(x.logAbs)) return y;
  if (Number.isNaN(y.logAbs)) return x;
  return y.relError < x.relError ? y : x;
}

/** 0 < z < 1: choose among Maclaurin, Euler-transformed Maclaurin and the 1−z transformation. */
function positiveZ(a: number, b: number, c: number, z: number): Estimate {
  const m = c - a - b;
  const log1mz = Math.log1p(-z);
  type Method = { cost: number; run: () => Estimate };
  const methods: Method[] = [];
  const seriesCost = (pa: number, pb: number, pc: number, x: number): number => {
    // rough term count: until past the peak and then ~37 e-folds of z^n decay
    const peak = Math.max(0, Math.abs(pa) + Math.abs(pb) - Math.abs(pc)) * (x / (1 - x));
    return peak + 40 / -Math.log(x) + Math.max(0, -pa, -pb, -pc);
  };
  methods.push({
    cost: seriesCost(a, b, c, z) * (m < 0 ? 1.5 : 1),
    run: () => maclaurin(a, b, c, z, MAX_SERIES_TERMS),
  });
  methods.push({
    cost: seriesCost(c - a, c - b, c, z) * (m > 0 ? 1.5 : 1) + 1,
    run: () => {
      const inner = maclaurin(c - a, c - b, c, z, MAX_SERIES_TERMS);
      return { logAbs: inner.logAbs + m * log1mz, sign: inner.sign, relError: inner.relError + EPS * Math.abs(m * log1mz) };
    },
  });
  if (z > 0.5) {
    const x = 1 - z;
    methods.push({
      cost: seriesCost(a, b, 1 - m, x) + seriesCost(c - a, c - b, 1 + m, x),
      run: () => oneMinusZ(a, b, c, z),
    });
  }
  methods.sort((p, q) => p.cost - q.cost);
  let best = NAN_ESTIMATE;
  for (const method of methods) {
    if (!Number.isNaN(best.logAbs) && method.cost > MAX_SERIES_TERMS) break;
    best = better(best, method.run());
    if (best.relError < GOOD_ENOUGH) break;
  }
  return best;
}

/** log|Γ(x)| and sign of Γ(x); logAbs = +Infinity at the poles. */
function signedGamma(x: number): { logAbs: number; sign: number } {
  if (isNonPositiveInteger(x)) return { logAbs: Infinity, sign: 1 };
  const logAbs = gammaln(x);
  const sign = x > 0 || Math.floor(x) % 2 === 0 ? 1 : -1;
  return { logAbs, sign };
}

/**
 * Maclaurin series Σ (a)_n (b)_n / ((c)_n n!) z^n, |z| < 1, with running
 * rescaling. The error estimate is EPS·(Σ|t_n|/|Σ t_n|)·(1 + √n/8) plus the
 * tail bound; Infinity when the cap on terms is reached.
 */
function maclaurin(a: number, b: number, c: number, z: number, maxTerms: number): Estimate {
  let term = 1;
  let sum = 1;
  let absSum = 1;
  let logScale = 0;
  const nPositive = Math.max(0, Math.ceil(-a), Math.ceil(-b), Math.ceil(-c));
  let truncation = Infinity;
  let n = 0;
  for (; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    if (term === 0) {
      truncation = 0;
      n++;
      break;
    }
    sum += term;
    absSum += Math.abs(term);
    if (absSum > RESCALE) {
      term /= RESCALE;
      sum /= RESCALE;
      absSum /= RESCALE;
      logScale += LOG_RESCALE;
    }
    if (n + 1 >= nPositive && Math.abs(term) <= 1e-17 * absSum) {
      const k = n + 1;
      // the next ratio, and a bound on all later ratios: each of (a+k)/(k+1) and (b+k)/(c+k) is monotone in k
      const bound = Math.abs(z) * Math.min(
        Math.max(1, (a + k) / (k + 1)) * Math.max(1, (b + k) / (c + k)),
        Math.max(1, (b + k) / (k + 1)) * Math.max(1, (a + k) / (c + k)),
      );
      if (bound < 1) {
        truncation = (Math.abs(term) * bound) / (1 - bound);
        if (truncation <= 1e-17 * Math.abs(sum) || truncation <= 1e-17 * absSum) {
          n++;
          break;
        }
      }
    }
  }
  if (!Number.isFinite(truncation) || n >= maxTerms) {
    if (!(truncation <= 1e-15 * Math.abs(sum))) return { logAbs: NaN, sign: NaN, relError: Infinity };
  }
  if (sum === 0) return { logAbs: -Infinity, sign: 0, relError: Infinity };
  const cancellation = absSum / Math.abs(sum);
  return {
    logAbs: Math.log(Math.abs(sum)) + logScale,
    sign: Math.sign(sum),
    relError: EPS * cancellation * (1 + Math.sqrt(n) / 8) + truncation / Math.abs(sum),
  };
}

/** Terminating series of degree `degree` (a or b a non-positive integer). */
function polynomial(a: number, b: number, c: number, z: number, degree: number): Estimate {
  let term = 1;
  let sum = 1;
  let absSum = 1;
  let logScale = 0;
  for (let n = 0; n < degree; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    absSum += Math.abs(term);
    if (absSum > RESCALE) {
      term /= RESCALE;
      sum /= RESCALE;
      absSum /= RESCALE;
      logScale += LOG_RESCALE;
    }
  }
  if (sum === 0) return { logAbs: -Infinity, sign: 0, relError: 0 };
  return { logAbs: Math.log(Math.abs(sum)) + logScale, sign: Math.sign(sum), relError: (EPS * absSum) / Math.abs(sum) };
}

/** Σ of signed log-space parts, with the cancellation factor Σ|parts|/|Σ parts| and propagated errors. */
function combine(parts: Estimate[]): Estimate {
  let max = -Infinity;
  for (const p of parts) if (p.sign !== 0 && p.logAbs > max) max = p.logAbs;
  if (max === -Infinity) return { logAbs: -Infinity, sign: 0, relError: 0 };
  if (!Number.isFinite(max)) return NAN_ESTIMATE;
  let sum = 0;
  let absSum = 0;
  let errSum = 0;
  for (const p of parts) {
    if (p.sign === 0) continue;
    if (Number.isNaN(p.logAbs)) return NAN_ESTIMATE;
    const v = Math.exp(p.logAbs - max);
    sum += p.sign * v;
    absSum += v;
    errSum += v * p.relError;
  }
  if (sum === 0) return { logAbs: -Infinity, sign: 0, relError: Infinity };
  return {
    logAbs: max + Math.log(Math.abs(sum)),
    sign: Math.sign(sum),
    relError: (errSum + 2 * EPS * absSum) / Math.abs(sum),
  };
}

/** Error of a log-gamma-built prefactor: absolute error of the log ≈ EPS·Σ|log Γ| (+ log terms). */
function prefactorError(...logs: number[]): number {
  let s = 0;
  for (const l of logs) if (Number.isFinite(l)) s += Math.abs(l);
  return 4 * EPS * s;
}

/** 1−z transformation, 1/2 < z < 1. */
function oneMinusZ(a: number, b: number, c: number, z: number): Estimate {
  const m = c - a - b;
  const mInt = Math.round(m);
  if (Math.abs(m - mInt) <= INTEGER_TOLERANCE * Math.max(1, Math.abs(m))) {
    const offIntegerError = Math.abs(m - mInt) * (Math.abs(Math.log1p(-z)) + 10);
    let result: Estimate;
    if (mInt >= 0) {
      result = integerM(a, b, mInt, z);
    } else {
      // Euler: 2F1(a,b;c;z) = (1−z)^m 2F1(c−a, c−b; c; z), and c − (c−a) − (c−b) = −m > 0
      const inner = integerM(c - a, c - b, -mInt, z);
      const shift = m * Math.log1p(-z);
      result = { logAbs: inner.logAbs + shift, sign: inner.sign, relError: inner.relError + EPS * Math.abs(shift) };
    }
    return { ...result, relError: result.relError + offIntegerError };
  }
  // A&S 15.3.6
  const x = 1 - z;
  const logX = Math.log1p(-z);
  const gc = signedGamma(c);
  const parts: Estimate[] = [];
  {
    const gm = signedGamma(m);
    const gca = signedGamma(c - a);
    const gcb = signedGamma(c - b);
    if (gca.logAbs !== Infinity && gcb.logAbs !== Infinity) {
      const s = maclaurin(a, b, 1 - m, x, MAX_SERIES_TERMS);
      parts.push({
        logAbs: gc.logAbs + gm.logAbs - gca.logAbs - gcb.logAbs + s.logAbs,
        sign: gc.sign * gm.sign * gca.sign * gcb.sign * s.sign,
        relError: s.relError + prefactorError(gc.logAbs, gm.logAbs, gca.logAbs, gcb.logAbs),
      });
    }
  }
  {
    const gm = signedGamma(-m);
    const ga = signedGamma(a);
    const gb = signedGamma(b);
    const s = maclaurin(c - a, c - b, 1 + m, x, MAX_SERIES_TERMS);
    parts.push({
      logAbs: m * logX + gc.logAbs + gm.logAbs - ga.logAbs - gb.logAbs + s.logAbs,
      sign: gc.sign * gm.sign * ga.sign * gb.sign * s.sign,
      relError: s.relError + prefactorError(m * logX, gc.logAbs, gm.logAbs, ga.logAbs, gb.logAbs),
    });
  }
  return combine(parts);
}

/**
 * A&S 15.3.10 (m = 0) and 15.3.11 (m = 1, 2, …) for c = a + b + m, 1/2 < z < 1:
 * 2F1 = Γ(m)Γ(c)/(Γ(a+m)Γ(b+m)) Σ_{n<m} (a)_n(b)_n/(n!(1−m)_n) (1−z)^n
 *     − (z−1)^m Γ(c)/(Γ(a)Γ(b)) Σ_n (a+m)_n(b+m)_n/(n!(n+m)!) (1−z)^n
 *         [ln(1−z) − ψ(n+1) − ψ(n+m+1) + ψ(a+n+m) + ψ(b+n+m)].
 */
function integerM(a: number, b: number, m: number, z: number): Estimate {
  const c = a + b + m;
  const x = 1 - z;
  const logX = Math.log1p(-z);
  const gc = signedGamma(c);
  const parts: Estimate[] = [];
  if (m >= 1) {
    const gm = signedGamma(m);
    const gam = signedGamma(a + m);
    const gbm = signedGamma(b + m);
    if (gam.logAbs !== Infinity && gbm.logAbs !== Infinity) {
      let term = 1;
      let sum = 1;
      let absSum = 1;
      for (let n = 0; n < m - 1; n++) {
        term *= ((a + n) * (b + n) * x) / ((n + 1) * (1 - m + n));
        sum += term;
        absSum += Math.abs(term);
      }
      if (sum !== 0) {
        parts.push({
          logAbs: gm.logAbs + gc.logAbs - gam.logAbs - gbm.logAbs + Math.log(Math.abs(sum)),
          sign: gm.sign * gc.sign * gam.sign * gbm.sign * Math.sign(sum),
          relError: (EPS * absSum * (1 + m / 8)) / Math.abs(sum) + prefactorError(gm.logAbs, gc.logAbs, gam.logAbs, gbm.logAbs),
        });
      }
    }
  }
  {
    const ga = signedGamma(a);
    const gb = signedGamma(b);
    const logFactM = gammaln(m + 1);
    // series S = Σ t_n h_n, t_0 = 1 (the 1/m! sits in the prefactor)
    let psi1 = digamma(1);
    let psiM1 = digamma(m + 1);
    let psiA = digamma(a + m);
    let psiB = digamma(b + m);
    let term = 1;
    let h = logX - psi1 - psiM1 + psiA + psiB;
    let sum = h;
    let absSum = Math.abs(h);
    let logScale = 0;
    let converged = false;
    const nPositive = Math.max(0, Math.ceil(-(a + m)), Math.ceil(-(b + m)));
    let n = 0;
    for (; n < MAX_SERIES_TERMS; n++) {
      term *= (((a + m + n) * (b + m + n)) / ((n + 1) * (n + m + 1))) * x;
      psi1 += 1 / (n + 1);
      psiM1 += 1 / (n + m + 1);
      psiA += 1 / (a + m + n);
      psiB += 1 / (b + m + n);
      h = logX - psi1 - psiM1 + psiA + psiB;
      const contribution = term * h;
      sum += contribution;
      absSum += Math.abs(contribution);
      if (absSum > RESCALE) {
        term /= RESCALE;
        sum /= RESCALE;
        absSum /= RESCALE;
        logScale += LOG_RESCALE;
      }
      if (term === 0) {
        converged = true;
        break;
      }
      const k = n + 1;
      if (k >= nPositive && Math.abs(contribution) <= 1e-17 * absSum) {
        const bound = x * Math.max(1, (a + m + k) / (k + 1)) * Math.max(1, (b + m + k) / (k + m + 1));
        // h_n grows like 2 ln n at most: allow a factor 2 on the geometric tail
        if (bound < 0.9 && (2 * Math.abs(contribution) * bound) / (1 - bound) <= 1e-17 * absSum) {
          converged = true;
          break;
        }
      }
    }
    if (!converged || sum === 0) return NAN_ESTIMATE;
    const sign = -Math.pow(-1, m) * ga.sign * gb.sign * gc.sign * Math.sign(sum);
    parts.push({
      logAbs: m * logX + gc.logAbs - ga.logAbs - gb.logAbs - logFactM + Math.log(Math.abs(sum)) + logScale,
      sign,
      relError:
        (EPS * absSum * (1 + Math.sqrt(n) / 8)) / Math.abs(sum) +
        prefactorError(m * logX, gc.logAbs, ga.logAbs, gb.logAbs, logFactM),
    });
  }
  return combine(parts);
}
