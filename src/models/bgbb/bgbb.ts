/**
 * BG/BB ("beta-geometric / beta-Bernoulli") model for discrete transaction
 * opportunities: Fader, Hardie & Shang (2010), "Customer-Base Analysis in a
 * Discrete-Time Noncontractual Setting", Marketing Science 29(6), 1086–1108.
 *
 * Story: at each of n opportunities (periods 1…n after the first transaction)
 * a customer who is still alive first dies with probability θ ~ Beta(γ, δ)
 * and, if still alive, transacts with probability p ~ Beta(α, β). Data per
 * customer: x transactions, the opportunity t_x of the last one (0 when
 * x = 0) and the number n of opportunities, compressed as unique (x, t_x, n)
 * tuples with counts.
 *
 * Likelihood (FHS 2010 eq. 5):
 *   L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
 *     + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ),
 * evaluated in logs from tables of log Γ and ψ at integer shifts (all shifts
 * are whole numbers), with the analytic gradient w.r.t. (log α, log β, log γ, log δ).
 *
 * Prediction functions are plain functions of the params and return NaN on
 * invalid input; `fitBgBb` validates its data and throws `UserError`.
 */
import { UserError } from '../../core/errors/user-error.js';
import { betaln, digamma, gammaln, logAddExp } from '../../math/special-functions.js';
import { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { FittedModel } from '../model-types.js';
import { weightedLogLikelihood } from '../btyd/weighted-log-likelihood.js';

/** BG/BB parameters: transaction probability p ~ Beta(alpha, beta), dropout probability θ ~ Beta(gamma, delta). */
export type BgBbParams = { alpha: number; beta: number; gamma: number; delta: number };

export const BG_BB_PARAM_NAMES = ['alpha', 'beta', 'gamma', 'delta'] as const;

/**
 * Calibration data for the BG/BB: one entry per customer (weight 1) or per
 * unique (frequency, recency, periods) tuple with the number of customers.
 */
export interface BgBbData {
  /** x: number of repeat transactions (whole number, 0 ≤ x ≤ recency) */
  readonly frequency: Float64Array;
  /** t_x: opportunity of the last transaction, 1…n (0 when x = 0) */
  readonly recency: Float64Array;
  /** n: number of transaction opportunities after the first transaction */
  readonly periods: Float64Array;
  /** customers with this tuple */
  readonly weight: Float64Array;
}

export interface BgBbFitOptions extends FitOptions {
  /** extra starting points (natural scale), tried in addition to the built-in ones */
  starts?: readonly BgBbParams[];
}

function isValidParams(p: BgBbParams): boolean {
  return p.alpha > 0 && p.beta > 0 && p.gamma > 0 && p.delta > 0 && Number.isFinite(p.alpha + p.beta + p.gamma + p.delta);
}

/** A BG/BB row it can read: whole numbers, 0 ≤ x ≤ recency ≤ n, recency 0 exactly when x is 0 (the fit command checks a file's rows with it). */
export function isValidBgBbCustomer(x: number, recency: number, n: number): boolean {
  return (
    Number.isInteger(x) && Number.isInteger(recency) && Number.isInteger(n) &&
    x >= 0 && recency >= x && n >= recency && (x > 0 || recency === 0) && (x === 0 || recency >= 1)
  );
}

/**
 * Checks BgBbData and throws `UserError` naming the first bad row: equal
 * lengths, whole numbers with 0 ≤ x ≤ t_x ≤ n, t_x = 0 exactly when x = 0,
 * finite weight ≥ 0, positive total weight.
 */
export function validateBgBbData(data: BgBbData): void {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.periods.length !== n || data.weight.length !== n) {
    throw new UserError(
      `BG/BB: BgBbData arrays differ in length (frequency ${n}, recency ${data.recency.length}, periods ${data.periods.length}, weight ${data.weight.length})`,
      'build BgBbData with one entry per customer or per unique (frequency, recency, periods) tuple in every array',
    );
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i], tx = data.recency[i], periods = data.periods[i], w = data.weight[i];
    if (!isValidBgBbCustomer(x, tx, periods)) {
      throw new UserError(
        `BG/BB: row ${i} (frequency ${x}, recency ${tx}, periods ${periods}): need whole numbers with 0 ≤ frequency ≤ recency ≤ periods, recency = 0 exactly when frequency = 0`,
        'recency is the opportunity (1…periods) of the last repeat transaction',
      );
    }
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new UserError(`BG/BB: row ${i}: weight ${w} must be a finite number ≥ 0`, 'weights count the customers sharing a tuple');
    }
    total += w;
  }
  if (!(total > 0)) throw new UserError(`BG/BB: no customers (total weight ${total})`, 'check the calibration period filter');
}

// ---------------------------------------------------------------------------
// likelihood

/** log Γ(y + k) − log Γ(y) and ψ(y + k) for k = 0…size−1, by the recurrences Γ(z+1) = zΓ(z), ψ(z+1) = ψ(z) + 1/z. */
class ShiftTable {
  readonly logGamma: Float64Array;
  readonly psi: Float64Array;
  constructor(readonly size: number) {
    this.logGamma = new Float64Array(size);
    this.psi = new Float64Array(size);
  }
  update(y: number): void {
    const { logGamma, psi, size } = this;
    logGamma[0] = 0;
    psi[0] = digamma(y);
    for (let k = 1; k < size; k++) {
      logGamma[k] = logGamma[k - 1] + Math.log(y + k - 1);
      psi[k] = psi[k - 1] + 1 / (y + k - 1);
    }
  }
}

/** Tables for one parameter vector, sized for the largest n. */
class BgBbTables {
  readonly a: ShiftTable;
  readonly b: ShiftTable;
  readonly ab: ShiftTable;
  readonly g: ShiftTable;
  readonly d: ShiftTable;
  readonly gd: ShiftTable;
  constructor(maxPeriods: number) {
    const size = maxPeriods + 2;
    this.a = new ShiftTable(size);
    this.b = new ShiftTable(size);
    this.ab = new ShiftTable(size);
    this.g = new ShiftTable(size);
    this.d = new ShiftTable(size);
    this.gd = new ShiftTable(size);
  }
  update(p: BgBbParams): void {
    this.a.update(p.alpha);
    this.b.update(p.beta);
    this.ab.update(p.alpha + p.beta);
    this.g.update(p.gamma);
    this.d.update(p.delta);
    this.gd.update(p.gamma + p.delta);
  }
}

/**
 * log L of one tuple from the tables (all log-Beta ratios relative to
 * B(α,β)B(γ,δ): log B(α+i, β+j)/B(α,β) = Ga[i] + Gb[j] − Gab[i+j], and
 * log B(γ+1, δ+k)/B(γ,δ) = log γ + Gd[k] − Ggd[k+1] since Γ(γ+1)/Γ(γ) = γ).
 * Writes ∂ log L/∂(α, β, γ, δ) when `gradient` is given.
 */
function tupleLogLikelihood(
  t: BgBbTables, gamma: number, x: number, tx: number, n: number, gradient: Float64Array | null,
): number {
  const Ga = t.a.logGamma, Gb = t.b.logGamma, Gab = t.ab.logGamma, Gd = t.d.logGamma, Ggd = t.gd.logGamma;
  const logGamma = Math.log(gamma);
  // alive through all n opportunities
  const logP1 = Ga[x] + Gb[n - x] - Gab[n] + Gd[n] - Ggd[n];
  let logTotal = logP1;
  const terms = n - tx;
  // dead after t_x + i opportunities, i = 0…n−t_x−1
  for (let i = 0; i < terms; i++) {
    const k = tx + i;
    logTotal = logAddExp(logTotal, Ga[x] + Gb[k - x] - Gab[k] + logGamma + Gd[k] - Ggd[k + 1]);
  }
  if (gradient === null) return logTotal;
  const Pa = t.a.psi, Pb = t.b.psi, Pab = t.ab.psi, Pg = t.g.psi, Pd = t.d.psi, Pgd = t.gd.psi;
  const w1 = Math.exp(logP1 - logTotal);
  let gA = w1 * (Pa[x] - Pab[n]);
  let gB = w1 * (Pb[n - x] - Pab[n]);
  let gG = w1 * (Pg[0] - Pgd[n]);
  let gD = w1 * (Pd[n] - Pgd[n]);
  for (let i = 0; i < terms; i++) {
    const k = tx + i;
    const w = Math.exp(Ga[x] + Gb[k - x] - Gab[k] + logGamma + Gd[k] - Ggd[k + 1] - logTotal);
    gA += w * (Pa[x] - Pab[k]);
    gB += w * (Pb[k - x] - Pab[k]);
    gG += w * (Pg[1] - Pgd[k + 1]);
    gD += w * (Pd[k] - Pgd[k + 1]);
  }
  // minus the derivatives of log B(α,β) and log B(γ,δ) (weights sum to 1)
  gradient[0] = gA - (Pa[0] - Pab[0]);
  gradient[1] = gB - (Pb[0] - Pab[0]);
  gradient[2] = gG - (Pg[0] - Pgd[0]);
  gradient[3] = gD - (Pd[0] - Pgd[0]);
  return logTotal;
}

function maxPeriods(data: BgBbData): number {
  let max = 0;
  for (let i = 0; i < data.periods.length; i++) if (data.periods[i] > max) max = data.periods[i];
  return max;
}

/** Per-row log-likelihoods (unweighted), one per entry of `data`; NaN for invalid rows. */
export function computeBgBbLogLikelihoods(params: BgBbParams, data: BgBbData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  if (!isValidParams(params)) return out.fill(NaN);
  const tables = new BgBbTables(maxPeriods(data));
  tables.update(params);
  for (let i = 0; i < out.length; i++) {
    const x = data.frequency[i], tx = data.recency[i], n = data.periods[i];
    out[i] = isValidBgBbCustomer(x, tx, n) ? tupleLogLikelihood(tables, params.gamma, x, tx, n, null) : NaN;
  }
  return out;
}

/** Weighted total log-likelihood Σ weight·log L. */
export function computeBgBbLogLikelihood(params: BgBbParams, data: BgBbData): number {
  return weightedLogLikelihood(computeBgBbLogLikelihoods(params, data), data.weight);
}

/**
 * The BG/BB estimation problem for `fitMaximumLikelihood`: weighted
 * log-likelihood and its analytic gradient w.r.t. (log α, log β, log γ, log δ).
 * Cost per evaluation: O(max n) for the tables plus O(n − t_x) per row.
 * Expects validated data.
 */
export function createBgBbProblem(data: BgBbData, extraStarts: readonly BgBbParams[] = []): MaximumLikelihoodProblem {
  const tables = new BgBbTables(maxPeriods(data));
  const { frequency, recency, periods, weight } = data;
  const rows = frequency.length;
  const rowGradient = new Float64Array(4);
  let total = 0;
  for (let i = 0; i < rows; i++) total += weight[i];
  const starts: BgBbParams[] = [
    { alpha: 1, beta: 1, gamma: 1, delta: 1 },
    { alpha: 0.5, beta: 0.5, gamma: 0.5, delta: 3 },
    { alpha: 2, beta: 1, gamma: 2, delta: 10 },
    ...extraStarts,
  ];
  return {
    model: 'bgbb',
    paramNames: BG_BB_PARAM_NAMES,
    n: total,
    starts: starts.map((p) => Float64Array.of(Math.log(p.alpha), Math.log(p.beta), Math.log(p.gamma), Math.log(p.delta))),
    logLikelihood(z, gradient) {
      const p = { alpha: Math.exp(z[0]), beta: Math.exp(z[1]), gamma: Math.exp(z[2]), delta: Math.exp(z[3]) };
      tables.update(p);
      let ll = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0;
      for (let i = 0; i < rows; i++) {
        const w = weight[i];
        if (w === 0) continue;
        ll += w * tupleLogLikelihood(tables, p.gamma, frequency[i], recency[i], periods[i], rowGradient);
        g0 += w * rowGradient[0];
        g1 += w * rowGradient[1];
        g2 += w * rowGradient[2];
        g3 += w * rowGradient[3];
      }
      gradient[0] = g0 * p.alpha;
      gradient[1] = g1 * p.beta;
      gradient[2] = g2 * p.gamma;
      gradient[3] = g3 * p.delta;
      return ll;
    },
  };
}

/**
 * Fit the BG/BB by maximum likelihood (multi-start L-BFGS, optional L2
 * penalty; see `fitMaximumLikelihood`). Non-convergence is reported in
 * `fit.converged` / `fit.message`, never hidden.
 */
export function fitBgBb(data: BgBbData, options: BgBbFitOptions = {}): FittedModel<BgBbParams> {
  validateBgBbData(data);
  for (const p of options.starts ?? []) {
    if (!isValidParams(p)) throw new UserError(`BG/BB: invalid starting point ${JSON.stringify(p)}`, 'all parameters must be finite and > 0');
  }
  return fitMaximumLikelihood<BgBbParams>(createBgBbProblem(data, options.starts), options);
}

// ---------------------------------------------------------------------------
// predictions

/** One-customer log-likelihood; tables built for this call unless given (vectorised predictions share them). */
function customerLogLikelihood(params: BgBbParams, x: number, tx: number, n: number, shared?: BgBbTables): number {
  let tables = shared;
  if (tables === undefined) {
    tables = new BgBbTables(n);
    tables.update(params);
  }
  return tupleLogLikelihood(tables, params.gamma, x, tx, n, null);
}

/** Tables for all rows of `data` at `params`. */
function tablesFor(params: BgBbParams, data: BgBbData): BgBbTables {
  const tables = new BgBbTables(maxPeriods(data));
  tables.update(params);
  return tables;
}

/** Log-likelihood of one customer (FHS 2010 eq. 5); NaN for invalid input. */
export function computeBgBbCustomerLogLikelihood(params: BgBbParams, x: number, recency: number, periods: number): number {
  if (!isValidParams(params) || !isValidBgBbCustomer(x, recency, periods)) return NaN;
  return customerLogLikelihood(params, x, recency, periods);
}

/**
 * log Σ_{j=1}^{count} B(γ, δ+start+j)/B(γ, δ) (start, count whole numbers ≥ 0):
 * the expected number of the opportunities start+1…start+count a customer
 * is alive at. Closed form (FHS 2010 eq. 8/13)
 *   δ/(γ−1)·[e^{f(start)} − e^{f(start+count)}],  f(k) = log[Γ(γ+δ)Γ(1+δ+k)/(Γ(1+δ)Γ(γ+δ+k))]
 *   = −Σ_{j<k} log1p((γ−1)/(1+δ+j)),
 * written as δ·e^{f(start)}·(1 − e^{−S})/(γ−1), S = Σ_{j=start}^{start+count−1} log1p((γ−1)/(1+δ+j)),
 * which stays exact through γ = 1 (S/(γ−1) → Σ 1/(1+δ+j)). O(start + count).
 */
function logExpectedAliveOpportunities(gamma: number, delta: number, start: number, count: number): number {
  if (count === 0) return -Infinity;
  const eps = gamma - 1;
  let f = 0;
  for (let j = 0; j < start; j++) f -= Math.log1p(eps / (1 + delta + j));
  // S/ε without dividing by a tiny ε
  let sOverEps = 0;
  for (let j = start; j < start + count; j++) {
    const c = 1 + delta + j;
    sOverEps += eps === 0 ? 1 / c : Math.log1p(eps / c) / eps;
  }
  const S = eps * sOverEps;
  const factor = S === 0 ? 1 : -Math.expm1(-S) / S; // (1 − e^{−S})/S
  return Math.log(delta) + f + Math.log(factor) + Math.log(sOverEps);
}

/**
 * P(alive at opportunity n+1 | x, t_x, n) ("P(alive next period)", FHS 2010 eq. 11):
 *   B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L.
 */
export function predictBgBbProbabilityAlive(params: BgBbParams, x: number, recency: number, periods: number): number {
  return probabilityAlive(params, x, recency, periods);
}

function probabilityAlive(params: BgBbParams, x: number, recency: number, periods: number, tables?: BgBbTables): number {
  if (!isValidParams(params) || !isValidBgBbCustomer(x, recency, periods)) return NaN;
  const { alpha, beta, gamma, delta } = params;
  const logNumerator = betaln(alpha + x, beta + periods - x) - betaln(alpha, beta) + betaln(gamma, delta + periods + 1) - betaln(gamma, delta);
  // both the numerator and tupleLogLikelihood are relative to B(α,β)·B(γ,δ)
  return Math.min(1, Math.exp(logNumerator - customerLogLikelihood(params, x, recency, periods, tables)));
}

/** P(alive next period) for every row of `data`. */
export function predictBgBbProbabilityAliveAll(params: BgBbParams, data: BgBbData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  if (!isValidParams(params)) return out.fill(NaN);
  const tables = tablesFor(params, data);
  for (let i = 0; i < out.length; i++) out[i] = probabilityAlive(params, data.frequency[i], data.recency[i], data.periods[i], tables);
  return out;
}

/**
 * E[X(n)]: expected transactions in the first n opportunities of a newly
 * acquired customer (FHS 2010 eq. 8) = α/(α+β) · Σ_{j=1}^{n} B(γ, δ+j)/B(γ,δ)
 * = α/(α+β)·δ/(γ−1)·[1 − Γ(γ+δ)Γ(1+δ+n)/(Γ(γ+δ+n)Γ(1+δ))], exact through γ = 1.
 */
export function predictBgBbExpectedTransactions(params: BgBbParams, periods: number): number {
  if (!isValidParams(params) || !Number.isInteger(periods) || periods < 0) return NaN;
  const { alpha, beta, gamma, delta } = params;
  return (alpha / (alpha + beta)) * Math.exp(logExpectedAliveOpportunities(gamma, delta, 0, periods));
}

/**
 * E[X(n, n+n*) | x, t_x, n]: expected transactions in the next n* opportunities
 * given the history (FHS 2010 eq. 13) =
 *   B(α+x+1, β+n−x)/B(α,β) · Σ_{j=1}^{n*} B(γ, δ+n+j)/B(γ,δ) / L.
 */
export function predictBgBbConditionalTransactions(
  params: BgBbParams, futurePeriods: number, x: number, recency: number, periods: number,
): number {
  return conditionalTransactions(params, futurePeriods, x, recency, periods);
}

function conditionalTransactions(
  params: BgBbParams, futurePeriods: number, x: number, recency: number, periods: number, tables?: BgBbTables,
): number {
  if (!isValidParams(params) || !isValidBgBbCustomer(x, recency, periods) || !Number.isInteger(futurePeriods) || futurePeriods < 0) return NaN;
  if (futurePeriods === 0) return 0;
  const { alpha, beta, gamma, delta } = params;
  const logNumerator =
    betaln(alpha + x + 1, beta + periods - x) - betaln(alpha, beta) + logExpectedAliveOpportunities(gamma, delta, periods, futurePeriods);
  return Math.exp(logNumerator - customerLogLikelihood(params, x, recency, periods, tables));
}

/** Conditional expected transactions in the next n* opportunities for every row of `data`. */
export function predictBgBbConditionalTransactionsAll(params: BgBbParams, futurePeriods: number, data: BgBbData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  if (!isValidParams(params)) return out.fill(NaN);
  const tables = tablesFor(params, data);
  for (let i = 0; i < out.length; i++) {
    out[i] = conditionalTransactions(params, futurePeriods, data.frequency[i], data.recency[i], data.periods[i], tables);
  }
  return out;
}

/**
 * P(X(n) = x) for a newly acquired customer (FHS 2010 eq. 7):
 *   C(n,x) B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
 *   + Σ_{i=x}^{n−1} C(i,x) B(α+x, β+i−x)/B(α,β) · B(γ+1, δ+i)/B(γ,δ).
 * NaN unless 0 ≤ x ≤ n are whole numbers.
 */
export function predictBgBbTransactionCountProbability(params: BgBbParams, periods: number, x: number): number {
  if (!isValidParams(params) || !Number.isInteger(periods) || !Number.isInteger(x) || x < 0 || periods < 0) return NaN;
  if (x > periods) return 0;
  const { alpha, beta, gamma, delta } = params;
  const lbAB = betaln(alpha, beta), lbGD = betaln(gamma, delta);
  const logChoose = (i: number, k: number) => gammaln(i + 1) - gammaln(k + 1) - gammaln(i - k + 1);
  let logTotal = logChoose(periods, x) + betaln(alpha + x, beta + periods - x) - lbAB + betaln(gamma, delta + periods) - lbGD;
  for (let i = x; i < periods; i++) {
    logTotal = logAddExp(logTotal, logChoose(i, x) + betaln(alpha + x, beta + i - x) - lbAB + betaln(gamma + 1, delta + i) - lbGD);
  }
  return Math.exp(logTotal);
}
