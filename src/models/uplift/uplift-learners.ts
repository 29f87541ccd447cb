/**
 * Uplift (heterogeneous treatment effect) learners for campaigns with a
 * random control group: the expected change of a customer's outcome if
 * treated, τ(x) = E[Y | x, treated] − E[Y | x, control].
 *
 * - Two-model learner ("T-learner"): one model per group, τ̂(x) = μ̂_T(x) − μ̂_C(x)
 *   (Künzel, Sekhon, Bickel & Yu 2019, "Metalearners for estimating
 *   heterogeneous treatment effects using machine learning", PNAS 116(10), §2).
 * - Transformed-outcome learner: with treatment share p known by design,
 *   Z = Y·(W − p) / (p(1 − p)) has E[Z | x] = τ(x) (Athey & Imbens 2016,
 *   "Recursive partitioning for heterogeneous causal effects", PNAS 113(27),
 *   §4.1), so a regression of Z on x estimates τ directly.
 *
 * Both use the L2-regularised GLMs of `models/learned/linear-model.ts`
 * (logistic for a 0/1 outcome, Poisson for counts, Gaussian otherwise; the
 * transformed outcome is always Gaussian). Pure: typed arrays in, a
 * JSON-serialisable model out.
 */
import { UserError } from '../../core/errors/user-error.js';
import { fitLinearModel, predictLinearModel, type LinearFamily, type LinearModel } from '../learned/linear-model.js';

export interface UpliftData {
  /** feature columns (NaN = missing) */
  readonly columns: readonly Float64Array[];
  /** 1 treated, 0 control */
  readonly treated: Float64Array;
  readonly outcome: Float64Array;
}

export type UpliftLearnerName = 'two-model' | 'transformed-outcome';

export type UpliftModel =
  | { readonly kind: 'two-model'; readonly treatment: LinearModel; readonly control: LinearModel }
  | { readonly kind: 'transformed-outcome'; readonly treatedShare: number; readonly model: LinearModel };

export interface UpliftLearnerOptions {
  /** GLM family of the outcome for the two-model learner (default: logistic for 0/1 outcomes, else gaussian) */
  readonly family?: LinearFamily;
  readonly l2?: number;
  readonly featureNames?: readonly string[];
}

function subset(data: UpliftData, group: 0 | 1): { columns: Float64Array[]; label: Float64Array } {
  const rows: number[] = [];
  for (let i = 0; i < data.treated.length; i++) if (data.treated[i] === group) rows.push(i);
  const take = (column: Float64Array) => Float64Array.from(rows, (i) => column[i]!);
  return { columns: data.columns.map(take), label: take(data.outcome) };
}

function check(data: UpliftData): number {
  let treated = 0;
  for (let i = 0; i < data.treated.length; i++) {
    if (data.treated[i] !== 0 && data.treated[i] !== 1) throw new UserError('uplift: the treatment indicator must be 0 or 1', 'mark treated customers 1 and control customers 0');
    treated += data.treated[i]!;
  }
  if (data.outcome.length !== data.treated.length) throw new UserError('uplift: outcome and treatment indicator differ in length', 'one value of each per customer');
  if (treated === 0 || treated === data.treated.length) throw new UserError('uplift: a learner needs treated and control customers', 'train on a campaign with a control group');
  return treated / data.treated.length;
}

const isBinary = (y: Float64Array) => y.every((v) => v === 0 || v === 1);

/** Fits an uplift learner (see the file comment). */
export function fitUpliftModel(data: UpliftData, learner: UpliftLearnerName, options: UpliftLearnerOptions = {}): UpliftModel {
  const share = check(data);
  const common = { ...(options.l2 !== undefined ? { l2: options.l2 } : {}), ...(options.featureNames ? { featureNames: options.featureNames } : {}) };
  if (learner === 'two-model') {
    const family = options.family ?? (isBinary(data.outcome) ? 'logistic' : 'gaussian');
    return { kind: 'two-model', treatment: fitLinearModel(subset(data, 1), { family, ...common }), control: fitLinearModel(subset(data, 0), { family, ...common }) };
  }
  const z = Float64Array.from(data.outcome, (y, i) => (y * (data.treated[i]! - share)) / (share * (1 - share)));
  return { kind: 'transformed-outcome', treatedShare: share, model: fitLinearModel({ columns: data.columns, label: z }, { family: 'gaussian', ...common }) };
}

/** τ̂(x) for each row of `columns`. */
export function predictUplift(model: UpliftModel, columns: readonly Float64Array[]): Float64Array {
  if (model.kind === 'transformed-outcome') return predictLinearModel(model.model, columns);
  const t = predictLinearModel(model.treatment, columns);
  const c = predictLinearModel(model.control, columns);
  return t.map((v, i) => v - c[i]!);
}
