import { addDays } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { buildCustomerSummarySql } from '../features/customer-summary.js';
import { hasOrderValues } from '../features/has-order-values.js';
import { createRandom } from '../math/random.js';
import { formatQiniP } from './format-p-value.js';
import { shuffleInPlace } from '../math/shuffle.js';
import { qiniCurve, type QiniCurve } from '../models/uplift/qini-curve.js';
import { qiniPermutationTest } from '../models/uplift/qini-permutation-test.js';
import { fitUpliftModel, predictUplift, type UpliftLearnerName, type UpliftModel } from '../models/uplift/uplift-learners.js';
import type { Access } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import { belowK } from '../privacy/disclosure/below-k.js';
import { readAudience } from './audience-store.js';
import { responsePurchasesSql, resolveResponseWindow } from './response-window.js';
import { leftJoinPerCustomer } from './left-join-per-customer.js';

/** The features of a member as of the day before the send date (no information from the response window). */
export const UPLIFT_FEATURES = ['frequency', 'recency', 'T', 'monetary_value', 'total_spend', 'predicted_clv_12m'] as const;

/** bought at all in the window, purchases, or net revenue in the window (needs order values) */
export type UpliftOutcome = 'buyers' | 'purchases' | 'revenue';

/**
 * The SELECT items of the uplift features (`UPLIFT_FEATURES`, as DOUBLE) from
 * a customer summary aliased `s` (`buildCustomerSummarySql` in days, as of
 * the day before the send date) and a predicted-CLV expression: the one
 * definition of the features for training on a past campaign and for
 * scoring the customers of a new one.
 */
export function upliftFeatureSelect(d: Warehouse['dialect'], predictedClv: string): string {
  return UPLIFT_FEATURES.map((f) => (f === 'predicted_clv_12m' ? `CAST(${predictedClv} AS DOUBLE) AS predicted_clv_12m` : `CAST(s.${d.identifier(f)} AS DOUBLE) AS ${d.identifier(f)}`)).join(', ');
}

/** The customer summary (in days) the uplift features are read from, as of `asOf`. */
export function upliftSummarySql(d: Warehouse['dialect'], asOf: string): string {
  return buildCustomerSummarySql(d, { asOf, timeUnit: 'day' });
}

export interface TrainUpliftModelOptions {
  readonly audience: string;
  readonly from: string;
  readonly to: string;
  /** what is modelled: bought at all in the window (default), purchases, or net revenue */
  readonly outcome?: UpliftOutcome;
  /** seed of the training/validation split (made within each group) */
  readonly seed: number;
  /** share of the members held out to validate the ranking (default 0.5) */
  readonly validationShare?: number;
  /** the privacy k-floor: the smallest treated or control group allowed in training or validation, and a count below it in a refusal or warning is said as "fewer than k" */
  readonly minGroupSize: number;
  /** the smallest treated or control group of either half, when larger than `minGroupSize` (the playbook budget asks `MIN_UPLIFT_TRAINING_GROUP`) */
  readonly minHalfGroupSize?: number;
  /** fewest buyers, and non-buyers, in the window a group (treated, control) of either half needs (default `MIN_UPLIFT_RESPONDERS`; the CLI and the playbook keep the default, only tests of the learners' plumbing on tiny campaigns lower it) */
  readonly minResponders?: number;
  /** shuffles of the Qini permutation test (default `QINI_PERMUTATIONS`; more where a stricter level is needed) */
  readonly permutations?: number;
  readonly access: Access;
}

export interface UpliftLearnerReport {
  readonly learner: UpliftLearnerName;
  /** Qini on the held-out members: curve, area, coefficient (0 = random) */
  readonly qini: QiniCurve;
  /** one-sided p-value of its Qini area in the permutation test (`qiniTest`), this learner alone */
  readonly qiniPValue: number;
  readonly model: UpliftModel;
}

/** Shuffles of the scores in the Qini permutation test. */
export const QINI_PERMUTATIONS = 999;
/** The chosen learner's Qini area must be this unlikely under random scores. */
export const QINI_ALPHA = 0.05;

/** How the chosen learner's Qini area was tested against chance. */
export interface QiniTestReport {
  /** scores shuffled across the validation members (the null: they carry no information about uplift) */
  readonly test: 'permutation';
  readonly permutations: number;
  /** p-value of the larger of the learners' areas (max statistic over the learners, each shuffle moving both) */
  readonly pValue: number;
  readonly alpha: number;
}

export interface UpliftModelReport {
  readonly audience: string;
  readonly window: { readonly from: string; readonly to: string };
  readonly outcome: UpliftOutcome;
  readonly features: readonly string[];
  readonly train: { readonly treatment: number; readonly control: number };
  readonly validation: { readonly treatment: number; readonly control: number };
  readonly learners: readonly UpliftLearnerReport[];
  /** the learner with the larger Qini area on the validation members, or null when neither beats random targeting */
  readonly chosen: UpliftLearnerName | null;
  /** the permutation test of the better learner's Qini area: chosen only when its p-value is below alpha */
  readonly qiniTest: QiniTestReport;
  readonly reason: string;
  readonly warnings: readonly string[];
}

/**
 * Trains uplift models on a past campaign with its control group: features
 * of each member as of the day before the send date (the BTYD summary in
 * days, spend, and the predicted CLV when drawn), the outcome in the
 * response window (bought or not, or purchases), a seeded split into
 * training and validation members within each group (half the treated and
 * half the control customers in each), the two-model and the transformed-outcome
 * learner fitted on training, each validated by its Qini curve on the
 * validation members. A half whose treated or control group has fewer than
 * `MIN_UPLIFT_RESPONDERS` buyers (or non-buyers) in the window is refused
 * (UserError): uplift cannot be learnt without responses in both groups. The better one (larger Qini area) is chosen when it
 * beats random targeting by more than chance: area > 0 and p < `QINI_ALPHA`
 * in a seeded permutation test (the validation members' scores shuffled
 * `QINI_PERMUTATIONS` times, both learners by the same shuffle, the larger
 * area compared: `qiniPermutationTest`); otherwise the report says to keep targeting by
 * value × P(alive) (by predicted CLV when no member has a purchase history:
 * prospects). Features the same for every member (the buyer features of
 * prospects) are left out of the models and named in a warning. Requires
 * `analyze` (admin, analyst).
 */
export async function trainUpliftModel(warehouse: Warehouse, options: TrainUpliftModelOptions): Promise<UpliftModelReport> {
  assertCan(options.access.role, 'analyze');
  const audience = await readAudience(warehouse, options.audience);
  const window = await resolveResponseWindow(warehouse, audience, options.from, options.to);
  const outcome = options.outcome ?? 'buyers';
  const d = warehouse.dialect;
  if (outcome === 'revenue' && !(await hasOrderValues(warehouse))) throw new UserError('--outcome revenue needs order values, and the data has none (customer and date only)', 'model --outcome buyers or purchases');
  const summary = upliftSummarySql(d, addDays(audience.sendDate, -1));
  // one JOIN per SELECT (leftJoinPerCustomer), so that the same SQL runs on ClickHouse
  const members = `SELECT customer_id, group_name, predicted_clv_12m FROM audience_members WHERE audience = ${d.literal(audience.name)}`;
  // revenue as an order-free sum: a plain float sum moves in the last bits with the order the shards' rows arrive in,
  // and the learners' optimiser, stopping at the limit of precision, turns that into other iterations and coefficients
  const responses = `SELECT customer_id, ${responsePurchasesSql(d)} AS purchases, ${d.orderFreeSum('amount')} AS revenue
    FROM transactions WHERE ts >= ${window.start} AND ts < ${window.end} GROUP BY customer_id`;
  const data = await warehouse.queryColumns(`SELECT s.customer_id, CASE WHEN s.group_name = 'treatment' THEN 1.0 ELSE 0.0 END AS treated,
      CAST(coalesce(s.purchases, 0) AS DOUBLE) AS purchases, CAST(coalesce(s.revenue, 0) AS DOUBLE) AS revenue,
      ${upliftFeatureSelect(d, 's.predicted_clv_12m')}
    FROM (${leftJoinPerCustomer(members, [summary, responses])}) s ORDER BY s.customer_id`);
  const n = data.rowCount;
  const treated = data.columns.treated as Float64Array;
  const purchases = data.columns.purchases as Float64Array;
  const y = outcome === 'buyers' ? purchases.map((p) => (p > 0 ? 1 : 0)) : outcome === 'revenue' ? (data.columns.revenue as Float64Array) : purchases;
  // a feature the same for every member (the buyer features of prospects: no purchase before the send date, so
  // missing for all) tells the learners nothing and, standardised, only shifts the intercept: left out, and said
  const constant = UPLIFT_FEATURES.filter((f) => isConstant(data.columns[f] as Float64Array));
  const features = UPLIFT_FEATURES.filter((f) => !constant.includes(f));
  if (features.length === 0) throw new UserError(`every uplift feature (${UPLIFT_FEATURES.join(', ')}) is the same for every member of ${audience.name}: nothing to learn who responds from`, 'train on a campaign whose members differ in purchase history or predicted CLV');
  // members without a purchase before the send date have no summary row: no purchase history, so no P(alive)
  const historyless = Array.from(data.columns.T as Float64Array).filter((t) => Number.isNaN(t)).length;
  const noHistory = n > 0 && historyless === n;
  const featureWarnings = constant.length === 0 ? [] : [
    `${constant.join(', ')} ${constant.length === 1 ? 'is' : 'are'} the same for every member of ${audience.name}${noHistory ? ` (no member has a purchase before the send date ${audience.sendDate}: prospects)` : historyless > 0 ? ` (${historyless} of the ${n} members have no purchase before the send date ${audience.sendDate})` : ''}: left out of the models, which learn from ${features.join(', ')} alone`,
  ];
  const columns = features.map((f) => data.columns[f] as Float64Array);
  // seeded split within each group (stratified): each group's members shuffled, the first share of each to validation.
  // One shuffle of all members, as before, repeated the control draw whenever the seeds agreed (assignControlGroup shuffles
  // the same sorted tokens with the same generator, and the playbook passes its one --seed to both): with holdout < ½
  // every control customer fell in the validation half and the training half had none (a trial: '992 treated and 0
  // control customers'), so no playbook audience drawn with the default seed could be learnt from
  const share = options.validationShare ?? 0.5;
  const random = createRandom(options.seed);
  const validationRows: number[] = [];
  const trainRows: number[] = [];
  for (const arm of [1, 0]) {
    const rows = shuffleInPlace(Array.from({ length: n }, (_, i) => i).filter((i) => treated[i] === arm), random);
    const count = Math.round(rows.length * share);
    validationRows.push(...rows.slice(0, count));
    trainRows.push(...rows.slice(count));
  }
  const part = (rows: number[]) => ({ columns: columns.map((c) => Float64Array.from(rows, (i) => c[i]!)), treated: Float64Array.from(rows, (i) => treated[i]!), outcome: Float64Array.from(rows, (i) => y[i]!) });
  const validation = part(validationRows);
  const train = part(trainRows);
  const sizes = (p: { treated: Float64Array }) => {
    const t = p.treated.reduce((a, b) => a + b, 0);
    return { treatment: t, control: p.treated.length - t };
  };
  const k = options.minGroupSize;
  const minHalf = Math.max(k, options.minHalfGroupSize ?? 0);
  for (const [name, s] of [['training', sizes(train)], ['validation', sizes(validation)]] as const) {
    if (s.control < minHalf || s.treatment < minHalf) {
      throw new UserError(`the ${name} half of ${audience.name} has ${countAboveK(s.treatment, k)} treated and ${countAboveK(s.control, k)} control customers, fewer than ${minHalf}`, 'train on a larger campaign (uplift models need hundreds of control customers)');
    }
  }
  const minResponders = options.minResponders ?? MIN_UPLIFT_RESPONDERS;
  for (const [name, rows] of [['training', trainRows], ['validation', validationRows]] as const) {
    const short = responderShortfalls(rows, treated, purchases, minResponders, k);
    if (short.length > 0) {
      const kinds = new Set(short.map((m) => m.kind));
      throw new UserError(
        `the ${name} half of ${audience.name} has too few ${kinds.size > 1 ? 'buyers and non-buyers' : [...kinds][0]} in the window ${window.from} … ${window.to} to learn uplift from: ${short.map((m) => m.text).join(', ')} — fewer than ${minResponders} in a group (an uplift model compares the groups’ responses: with none, or a handful, in one group its model is all but constant, and the Qini curve ranks who buys, not who responds to the campaign)`,
        `uplift needs ${minResponders} buyers and ${minResponders} non-buyers in the treated and the control group of each half: train on a campaign with a larger control group or a longer response window (campaign evaluate counts its buyers)`,
      );
    }
  }
  const thin = thinTrainingWarning(trainRows, treated, purchases, features.length, k);
  const fitted = (['two-model', 'transformed-outcome'] as const).map((learner) => {
    const model = fitUpliftModel(train, learner, { featureNames: features });
    return { learner, model, score: predictUplift(model, validation.columns) };
  });
  // on a small campaign a Qini area above 0 is often luck (about half the time with no uplift at all): the better
  // learner must beat the areas of shuffled scores. The split's generator goes on, so the shuffles repeat no other draw
  const test = qiniPermutationTest(fitted.map((f) => f.score), validation.treated, validation.outcome, { random, permutations: options.permutations ?? QINI_PERMUTATIONS });
  const learners = fitted.map(({ learner, model, score }, l): UpliftLearnerReport => ({ learner, model, qini: qiniCurve(score, validation.treated, validation.outcome), qiniPValue: test.pValues[l]! }));
  const best = [...learners].sort((a, b) => b.qini.area - a.qini.area)[0]!;
  const qiniTest: QiniTestReport = { test: 'permutation', permutations: test.permutations, pValue: test.pValue, alpha: QINI_ALPHA };
  const chosen = best.qini.area > 0 && test.pValue < QINI_ALPHA ? best.learner : null;
  // prospects have no P(alive) (no purchase history): the advice names what their predicted CLV is
  const keep = noHistory ? 'keep targeting by predicted CLV (no member has a purchase history: a prospect’s is its conversion propensity × a new customer’s first-year value)' : 'keep targeting by value × P(alive) (predicted CLV)';
  // the outcome named: the playbook trains on revenue, uplift-model on buyers by default, and their Qini answers differ
  const measured = `Qini of ${outcome}: coefficient ${best.qini.coefficient.toFixed(3)}, area ${best.qini.area.toFixed(2)}, p = ${formatQiniP(test.pValue)} against ${test.permutations} shuffles of its scores`;
  return {
    audience: audience.name,
    window: { from: window.from, to: window.to },
    outcome,
    features,
    train: sizes(train),
    validation: sizes(validation),
    learners,
    chosen,
    qiniTest,
    reason: chosen
      ? `${chosen} ranks the validation members better than random targeting (${measured})`
      : best.qini.area > 0
        ? `neither learner ranks the validation members better than random targeting by more than chance: the better, ${best.learner} (${measured}), random scores do as well that often (p < ${QINI_ALPHA} needed): ${keep}`
        : `neither learner ranks the validation members better than random targeting (the better, ${best.learner}, Qini of ${outcome}: area ${best.qini.area.toFixed(2)} ≤ 0): ${keep}`,
    warnings: [...window.warnings, ...featureWarnings, ...(thin ? [thin] : [])],
  };
}

/** A group of a past campaign: its customers, and how many of them bought in the response window. */
export interface UpliftGroupCount {
  readonly members: number;
  readonly buyers: number;
}

/**
 * The treated and control customers of a past campaign and their buyers in the window `from` … `to` (both days
 * included), as `trainUpliftModel` counts them (a buyer has a purchase in the window — `responsePurchasesSql` > 0 —,
 * that is a line that is not a return): one aggregate query, no features, no training — what the playbook budget
 * screens a campaign with before it trains on it.
 *
 * Example: `await upliftGroupCounts(wh, 'spring', '2024-03-01', '2024-03-30')` → `{ treatment: { members: 700, buyers: 212 }, control: { members: 300, buyers: 0 } }`
 */
export async function upliftGroupCounts(warehouse: Warehouse, audience: string, from: string, to: string): Promise<{ readonly treatment: UpliftGroupCount; readonly control: UpliftGroupCount }> {
  const d = warehouse.dialect;
  const bought = `SELECT customer_id FROM transactions WHERE NOT is_return AND ts >= ${d.timestamp(`${from}T00:00:00`)} AND ts < ${d.timestamp(`${addDays(to, 1)}T00:00:00`)}`;
  const rows = await warehouse.query(`SELECT group_name, count(*) AS members, sum(CASE WHEN customer_id IN (${bought}) THEN 1 ELSE 0 END) AS buyers
    FROM audience_members WHERE audience = ${d.literal(audience)} GROUP BY group_name`);
  const group = (name: string): UpliftGroupCount => {
    const row = rows.find((r) => String(r.group_name) === name);
    return { members: row ? Number(row.members) : 0, buyers: row ? Number(row.buyers) : 0 };
  };
  return { treatment: group('treatment'), control: group('control') };
}

/**
 * Fewest buyers, and non-buyers, in the response window that the treated and the control group of each half (training
 * and validation) must hold before an uplift model is trained and tested. Uplift is a difference between the groups'
 * responses: with no control buyer the two-model's control model is constant (and the transformed outcome only
 * rescales the treated buyers), and the Qini curve, whose control term is then zero, ranks who buys, not who responds
 * to the campaign — a permutation test of shuffled scores then tests buyer ranking (QA: 0 of 184 control buyers, p =
 * 0.008, and the playbook budget ranked by it). 10 is the least that gives a group's response rate a relative standard
 * error under a third (√10 / 10 ≈ 0.32) and the events-per-variable rule of a logistic model of one feature; the
 * per-feature rule (`MIN_RESPONSES_PER_FEATURE` × features) is a warning on top.
 */
export const MIN_UPLIFT_RESPONDERS = 10;

/** `n`, or "fewer than k" for a count from 1 to k − 1 (the privacy k-floor: such a count singles out its few customers; 0 describes nobody). */
function countAboveK(n: number, k: number): string {
  return belowK(n, k) ? `fewer than ${k}` : `${n}`;
}

/**
 * The shortfalls of the groups of `rows` (control first) below `min` buyers or non-buyers: `its control group 0 buyers
 * of 92`; a count below the k-floor `k` as `fewer than 5`, and where one of a group's two is, the other (short too, or
 * it would not be listed) as `fewer than` `min`: with the group's size it would give the first away. The other half's
 * counts cannot undo it by subtraction from evaluate's buyers per group: a refusal names one half only (training is
 * checked first and refuses before the validation half is looked at; a validation half is checked only once the
 * training half passed, whose counts are then not printed), and a trained model prints no count of a refused split.
 */
function responderShortfalls(rows: readonly number[], treated: Float64Array, purchases: Float64Array, min: number, k: number): { readonly kind: 'buyers' | 'non-buyers'; readonly text: string }[] {
  const short: { kind: 'buyers' | 'non-buyers'; text: string }[] = [];
  for (const [arm, label] of [[0, 'control'], [1, 'treatment']] as const) {
    const members = rows.filter((i) => treated[i] === arm);
    const buyers = members.filter((i) => purchases[i]! > 0).length;
    const counts = [['buyers', buyers], ['non-buyers', members.length - buyers]] as const;
    const hidden = counts.some(([, n]) => belowK(n, k));
    for (const [kind, n] of counts) {
      if (n >= min) continue;
      const shown = belowK(n, k) || !hidden ? countAboveK(n, k) : `fewer than ${min}`;
      short.push({ kind, text: `its ${label} group ${shown} ${kind} of ${members.length}` });
    }
  }
  return short;
}

/** Buyers and non-buyers per feature a training group needs before its model's coefficients mean much (logistic regression's rule of thumb). */
export const MIN_RESPONSES_PER_FEATURE = 10;

/**
 * The warning of a training half too thin for its features: a group (treated or control) with fewer than
 * `MIN_RESPONSES_PER_FEATURE` buyers, or non-buyers, in the window per feature. The models are fitted anyway (the
 * Qini permutation test decides whether they are used); the warning says why their coefficients are not to be read
 * (a QA pass saw a coefficient of −304 from 10 controls, unwarned). Buyers are members with a purchase in the window,
 * whatever the outcome modelled.
 */
function thinTrainingWarning(rows: readonly number[], treated: Float64Array, purchases: Float64Array, features: number, k: number): string | undefined {
  const group = (arm: number) => {
    const members = rows.filter((i) => treated[i] === arm);
    return { size: members.length, buyers: members.filter((i) => purchases[i]! > 0).length };
  };
  const [t, c] = [group(1), group(0)];
  const need = MIN_RESPONSES_PER_FEATURE * features;
  if ([t, c].every((g) => Math.min(g.buyers, g.size - g.buyers) >= need)) return undefined;
  // buyers, or non-buyers (size − buyers), from 1 to k − 1 are not given exactly (the k-floor)
  const buyers = (g: { size: number; buyers: number }) => (belowK(g.size - g.buyers, k) ? `more than ${g.size - k}` : countAboveK(g.buyers, k));
  return `the training half is thin for ${features} feature${features === 1 ? '' : 's'}: its treatment group has ${t.size} customers, ${buyers(t)} of them buyers in the window, its control group ${c.size}, ${buyers(c)} buyers — fewer than ${MIN_RESPONSES_PER_FEATURE} buyers and ${MIN_RESPONSES_PER_FEATURE} non-buyers per feature in a group (the rule of thumb for a logistic model), so the learners’ coefficients are unstable: judge the model by its Qini test, not by its coefficients`;
}

/** Every value the same (NaN, a missing value, equal to NaN). */
function isConstant(values: Float64Array): boolean {
  return values.every((v) => Object.is(v, values[0]) || v === values[0]);
}

/** The features an uplift model was fitted on (`UPLIFT_FEATURES` less those constant among its campaign's members). */
export function upliftModelFeatures(model: UpliftModel): readonly string[] {
  return model.kind === 'two-model' ? model.treatment.featureNames : model.model.featureNames;
}

