/**
 * The Gamma-Gamma's "no variation in a customer's spend" limit: p → ∞ and
 * γ → 0 with c = p·γ fixed. A customer's transactions are Gamma(p, ν), whose
 * coefficient of variation 1/√p vanishes: each customer spends their own mean
 * ζ = p/ν every time, and across customers ζ ~ Inverse-Gamma(q, c) (as
 * 1/ν ~ Inverse-Gamma(q, γ)). Shops whose customers reorder the same basket
 * (a subscription, a fixed weekly order) fit there: the spread of the mean
 * spends does not shrink as customers buy more often, so the likelihood keeps
 * rising with p. So do shops whose customers all buy about equally often (a
 * regular monthly order): with every x alike, the likelihood of the means
 * cannot tell purchase noise from customer differences, and the limit is as
 * likely as any p — its conditional spend, the customer's own mean, differs
 * little from a large finite p's there (px/(px+q−1) is near 1).
 *
 * The limit of the likelihood of m̄ given x (gamma-gamma.ts):
 *   log f(m̄ | x) → q log c − log Γ(q) − (q+1) log m̄ − c/m̄,
 * the Inverse-Gamma(q, c) density of m̄, whatever x (Γ(px+q)/Γ(px) ~ (px)^q,
 * (1 + γ/(x m̄))^{−(px+q)} → e^{−c/m̄}). Its maximum is the Gamma maximum
 * likelihood on y = 1/m̄ (Minka 2002, "Estimating a Gamma distribution"):
 * log q − ψ(q) = log ȳ − mean(log y), solved by Newton's method, and c = q/ȳ.
 *
 * Written in the Gamma-Gamma's parameters as p = ONE_SPEND_SHAPE, γ = c/p: the
 * conditional spend p(γ + x m̄)/(px + q − 1) is then each customer's own mean
 * (to ~1e-8) and the population mean pγ/(q−1) = c/(q−1) the Inverse-Gamma's.
 */
import { digamma, gammaln, trigamma } from '../../math/special-functions.js';
import { NO_HETEROGENEITY_LOG_THRESHOLD, type BoundaryDirection, type LimitFit } from '../fit-boundary.js';

/** Repeat buyers' mean spends (gamma-gamma.ts's SpendData, declared here so that the two files do not import each other). */
export interface MeanSpends {
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
  readonly weight: Float64Array;
}

/** p standing for "p = ∞" when the limit is written in Gamma-Gamma parameters: a spend's coefficient of variation 1e-4. */
export const ONE_SPEND_SHAPE = 1e8;

export const ONE_SPEND_LIMIT = 'p → ∞, gamma → 0 with p·gamma fixed';
// What the boundary says about the data — the model sees mean spends only: their spread does not shrink as customers buy
// more often (or every customer has about as many purchases, which leaves the two apart unknown), so all of it is taken
// for differences between customers, none for purchase-to-purchase noise
export const ONE_SPEND_MEANING = 'mean spends that vary between customers no less for frequent buyers than for occasional ones, read as differences between customers rather than purchase-to-purchase noise';
export const ONE_SPEND_MODEL = 'Inverse-Gamma mean spends, no purchase-to-purchase noise';

export interface OneSpendFit {
  readonly q: number;
  /** c = p·γ: the Inverse-Gamma's scale */
  readonly c: number;
  readonly logLikelihood: number;
  readonly converged: boolean;
}

/**
 * The limit's maximum-likelihood q and c over the repeat buyers of `data` (x > 0, weight > 0); null when they are
 * fewer than two distinct mean spends (the Inverse-Gamma then collapses: q → ∞).
 *
 * Example: mean spends 20, 25, 40, 80 (weights 1) → `{ q: ≈ 4.15, c: ≈ 130, converged: true }`.
 */
export function fitOneSpendLimit(data: MeanSpends): OneSpendFit | null {
  let n = 0, sumY = 0, sumLogY = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    const w = data.weight[i]!, m = data.monetary[i]!;
    if (!(data.frequency[i]! > 0) || !(w > 0) || !(m > 0)) continue;
    n += w, sumY += w / m, sumLogY += -w * Math.log(m);
  }
  if (!(n > 0)) return null;
  const meanY = sumY / n;
  const s = Math.log(meanY) - sumLogY / n; // ≥ 0 (Jensen), 0 only when every mean spend is the same
  if (!(s > 1e-12)) return null;
  // Minka's start, then Newton on log q − ψ(q) = s (a decreasing, convex function of q: Newton in q converges)
  let q = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  let converged = false;
  for (let i = 0; i < 100 && !converged; i++) {
    const f = Math.log(q) - digamma(q) - s;
    const next = q - f / (1 / q - trigamma(q));
    q = next > 0 ? next : q / 2;
    converged = Math.abs(f) <= 1e-14 * Math.max(1, s);
  }
  const c = q / meanY;
  const logLikelihood = n * (q * Math.log(c) - gammaln(q)) - (q + 1) * -sumLogY - c * sumY;
  return { q, c, logLikelihood, converged: converged && Number.isFinite(logLikelihood) };
}

/** The limit as a LimitFit in (p, q, γ); null when it cannot be fitted. */
export function oneSpendLimitFit(data: MeanSpends): LimitFit | null {
  const fitted = fitOneSpendLimit(data);
  if (fitted === null) return null;
  return {
    params: { p: ONE_SPEND_SHAPE, q: fitted.q, gamma: fitted.c / ONE_SPEND_SHAPE },
    logLikelihood: fitted.logLikelihood,
    boundary: { parameters: ['p', 'gamma'], limit: ONE_SPEND_LIMIT, meaning: ONE_SPEND_MEANING, limitModel: ONE_SPEND_MODEL, limitConverged: fitted.converged },
  };
}

/** The direction in the Gamma-Gamma's (log p, log q, log γ): log p past 1e4 (a spend's coefficient of variation ≤ 1%). */
export function oneSpendDirection(data: MeanSpends): BoundaryDirection {
  return {
    parameters: ['p', 'gamma'],
    limit: ONE_SPEND_LIMIT,
    meaning: ONE_SPEND_MEANING,
    escape: (z) => z[0]!,
    threshold: NO_HETEROGENEITY_LOG_THRESHOLD,
    fitLimit: () => oneSpendLimitFit(data),
  };
}
