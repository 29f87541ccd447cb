import { addDays } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { hasOrderValues } from '../features/has-order-values.js';
import { tableExists } from '../features/table-exists.js';
import { holmAdjusted } from '../math/holm-adjusted.js';
import type { QiniCurve } from '../models/uplift/qini-curve.js';
import { predictUplift, type UpliftLearnerName, type UpliftModel } from '../models/uplift/uplift-learners.js';
import type { Access } from '../privacy/access/access.js';
import { can } from '../privacy/access/rbac.js';
import { formatQiniP } from './format-p-value.js';
import { MIN_UPLIFT_RESPONDERS, QINI_ALPHA, QINI_PERMUTATIONS, trainUpliftModel, upliftFeatureSelect, upliftGroupCounts, upliftModelFeatures, upliftSummarySql, type QiniTestReport, type UpliftGroupCount, type UpliftModelReport, type UpliftOutcome } from './train-uplift-model.js';

/** Smallest treated and control group in each half of a past campaign the budget learns targeting from (fewer: the Qini curve is noise). */
export const MIN_UPLIFT_TRAINING_GROUP = 50;

/** The uplift model a playbook budget ranks by: where it was trained, how it was validated. */
export interface UpliftTargetingModel {
  /** the past campaign (audience) and its response window */
  readonly audience: string;
  readonly window: { readonly from: string; readonly to: string };
  /** `revenue` (incremental revenue in a window as long as the past one's) or `purchases` without order values */
  readonly outcome: UpliftOutcome;
  readonly learner: UpliftLearnerName;
  readonly train: { readonly treatment: number; readonly control: number };
  readonly validation: { readonly treatment: number; readonly control: number };
  /** the chosen learner's Qini curve on the held-out half of the past campaign */
  readonly qini: QiniCurve;
  /** the permutation test of the chosen learner's Qini area on this campaign (scores shuffled) */
  readonly qiniTest: QiniTestReport;
  /** how trying several past campaigns was paid for: Holm's correction over those tested (the adjusted p is below its alpha) */
  readonly campaignTest: CampaignFamilyTest;
  /** every learner's Qini coefficient, area and own permutation p-value on that half */
  readonly learners: readonly { readonly learner: UpliftLearnerName; readonly qiniCoefficient: number; readonly qiniArea: number; readonly qiniPValue: number }[];
  readonly model: UpliftModel;
}

/** The family-wise level of the choice among past campaigns: the chance that one without uplift gives the budget's model, however many are tested. */
export const UPLIFT_CAMPAIGNS_ALPHA = QINI_ALPHA;

/** How trying several past campaigns for an uplift model was paid for: Holm's correction over those whose learners were tested. */
export interface CampaignFamilyTest {
  readonly correction: 'holm';
  /** family-wise level: the chance that any of the campaigns without uplift gives the model is at most this */
  readonly alpha: number;
  /** past campaigns whose learners were tested (one too small to train on is not: screened out before, `tooSmallToLearnFrom`, or refused by training) */
  readonly tested: number;
  /** the chosen campaign's Holm-adjusted p-value (below alpha) */
  readonly adjustedPValue: number;
  /** every tested campaign, newest evaluation first: its permutation p-value (`qiniTest.pValue`) and its Holm-adjusted one */
  readonly campaigns: readonly { readonly audience: string; readonly pValue: number; readonly adjustedPValue: number }[];
}

/** The outcome of the search for a past campaign to learn targeting from. */
export type UpliftTargeting = { readonly model: UpliftTargetingModel; readonly reason: string } | { readonly model: null; readonly reason: string };

export interface FindUpliftTargetingOptions {
  readonly access: Access;
  readonly minGroupSize: number;
  readonly seed: number;
  /** past campaigns tried, newest evaluation first (default 5), after those too small to learn from are screened out; all of them are tested, and Holm's correction is over those tested */
  readonly maxCampaigns?: number;
  /** only evaluations over a window that ended before this day (a backtest's send date: later ones were not known then) */
  readonly measuredBefore?: string;
  /** the caller is the HTTP API: `reason` names its route for evaluating a campaign, not the CLI's command */
  readonly api?: boolean;
}

/** Shuffles of each campaign's Qini permutation test when up to `limit` are tried: the smallest p, 1/(shuffles + 1), at most a tenth of Holm's first threshold α/limit (999 for 5). */
function permutationsFor(limit: number): number {
  return Math.max(QINI_PERMUTATIONS, Math.round((10 * limit) / UPLIFT_CAMPAIGNS_ALPHA) - 1);
}

/**
 * Learns whom to target from past campaigns with control groups: the
 * evaluated audiences (`campaign_evaluations`, the newest evaluation of
 * each, newest first) too small ever to give a model are screened out from
 * their counts (`tooSmallToLearnFrom`: no training; the reason counts and
 * names them), and the newest `maxCampaigns` of the others are each trained on with
 * `trainUpliftModel` (two-model and transformed-outcome learners on half the
 * members, each validated by its Qini curve on the other half; each half
 * needs at least `MIN_UPLIFT_TRAINING_GROUP` treated and control customers,
 * and `MIN_UPLIFT_RESPONDERS` buyers and non-buyers in each group: a campaign
 * whose random halves fall short is refused, not tested, and the reason says so), on incremental revenue
 * (purchases without order values), and the better learner of each tested
 * against shuffled scores (permutation p-value). Trying several campaigns
 * is paid for: their p-values are adjusted by Holm's method over the
 * campaigns tested (`holmAdjusted`), and the newest campaign whose better
 * learner has a Qini area > 0 and an adjusted p below
 * `UPLIFT_CAMPAIGNS_ALPHA` gives the model — so the chance that a campaign
 * without uplift gives it is at most 0.05 however many were tried (each at
 * 0.05 on its own, five campaigns without uplift gave one about 23% of the
 * time). The model carries the family's test (`campaignTest`: level, how
 * many were tested, each one's p and adjusted p). Otherwise `model` is null
 * and `reason` says why (no past campaign, too small, no learner better than
 * random, a role that may not train models).
 *
 * Example: `await findUpliftTargeting(wh, { access, minGroupSize: 5, seed: 1 })` →
 * `{ model: { audience: 'spring', learner: 'two-model', qini: { coefficient: 0.41, … }, campaignTest: { tested: 3, adjustedPValue: 0.003, … }, … }, reason: '…' }`
 */
export async function findUpliftTargeting(warehouse: Warehouse, options: FindUpliftTargetingOptions): Promise<UpliftTargeting> {
  const evaluate = options.api ? 'POST /api/campaigns/:audience' : 'clvkit campaign evaluate';
  if (!(await tableExists(warehouse, 'campaign_evaluations'))) return { model: null, reason: `no past campaign with a control group has been evaluated (${evaluate})` };
  // the newest evaluation of each audience still held (firstPerGroup: no window functions on ClickHouse 18.16)
  const newest = warehouse.dialect.firstPerGroup('SELECT audience, result, evaluated_at FROM campaign_evaluations', 'audience', 'evaluated_at DESC');
  const before = options.measuredBefore;
  // the newest evaluation of each audience — with `measuredBefore`, the newest of those whose window ended before it
  const known = before === undefined ? newest : warehouse.dialect.firstPerGroup(`SELECT audience, result, evaluated_at FROM campaign_evaluations WHERE window_to < ${warehouse.dialect.timestamp(`${before}T00:00:00`)}`, 'audience', 'evaluated_at DESC');
  const limit = Math.trunc(options.maxCampaigns ?? 5);
  const rows = await warehouse.query(`SELECT e.audience, e.result FROM (${known}) e
    WHERE e.audience IN (SELECT name FROM audiences) ORDER BY e.evaluated_at DESC, e.audience`);
  if (rows.length === 0) {
    return { model: null, reason: before === undefined ? `no past campaign with a control group has been evaluated (${evaluate})` : `no past campaign with a control group was evaluated over a window that ended before the send date ${before} (${evaluate})` };
  }
  if (!can(options.access.role, 'analyze')) return { model: null, reason: `role ${options.access.role} may not train uplift models on past campaigns (an analyst or admin may)` };
  const outcome: UpliftOutcome = (await hasOrderValues(warehouse)) ? 'revenue' : 'purchases';
  const rule = { minGroupSize: Math.max(options.minGroupSize, MIN_UPLIFT_TRAINING_GROUP), minResponders: MIN_UPLIFT_RESPONDERS };
  // a campaign too small ever to give a model is screened out from its counts before the family is formed: it would
  // take one of the `limit` places from one that can be tested (it never entered Holm's family: training refuses it)
  const tooSmall: { readonly audience: string; readonly why: string }[] = [];
  const candidates: { readonly audience: string; readonly window: { readonly from: string; readonly to: string } }[] = [];
  for (const row of rows) {
    if (candidates.length >= limit) break;
    const audience = String(row.audience);
    const { window } = JSON.parse(String(row.result)) as { window: { from: string; to: string } };
    const why = tooSmallToLearnFrom(await upliftGroupCounts(warehouse, audience, window.from, window.to), rule, window);
    if (why === null) candidates.push({ audience, window });
    else tooSmall.push({ audience, why });
  }
  const small = tooSmallNote(tooSmall, rule);
  // every campaign is trained and tested before one is chosen: Holm's correction needs all the p-values of the family
  const tried: ({ readonly audience: string; readonly refused: string } | { readonly audience: string; readonly report: UpliftModelReport })[] = [];
  for (const { audience, window } of candidates) {
    try {
      const report = await trainUpliftModel(warehouse, { audience, from: window.from, to: window.to, outcome, seed: options.seed, minGroupSize: options.minGroupSize, minHalfGroupSize: rule.minGroupSize, permutations: permutationsFor(limit), access: options.access });
      tried.push({ audience, report });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      tried.push({ audience, refused: error.message });
    }
  }
  const tested = tried.filter((t): t is Extract<(typeof tried)[number], { report: UpliftModelReport }> => 'report' in t);
  const alpha = UPLIFT_CAMPAIGNS_ALPHA;
  const adjusted = holmAdjusted(tested.map((t) => t.report.qiniTest.pValue));
  const m = tested.length;
  const campaigns = tested.map((t, i) => ({ audience: t.audience, pValue: t.report.qiniTest.pValue, adjustedPValue: adjusted[i]! }));
  // the newest that Holm rejects (which of the rejected is used does not change the family-wise level)
  const at = tested.findIndex((t, i) => t.report.chosen !== null && adjusted[i]! < alpha);
  if (at >= 0) {
    const { audience, report } = tested[at]!;
    const chosen = report.learners.find((l) => l.learner === report.chosen)!;
    const family = m > 1 ? `; Holm-adjusted over the ${m} past campaigns tested: p = ${formatQiniP(adjusted[at]!)} < ${alpha} (the chance that a campaign without uplift gives the model stays at most ${alpha})` : `; the only past campaign tested (p < ${alpha} needed)`;
    return {
      model: {
        audience,
        window: report.window,
        outcome,
        learner: chosen.learner,
        train: report.train,
        validation: report.validation,
        qini: chosen.qini,
        qiniTest: report.qiniTest,
        campaignTest: { correction: 'holm', alpha, tested: m, adjustedPValue: adjusted[at]!, campaigns },
        learners: report.learners.map((l) => ({ learner: l.learner, qiniCoefficient: l.qini.coefficient, qiniArea: l.qini.area, qiniPValue: l.qiniPValue })),
        model: chosen.model,
      },
      reason: `uplift model (${chosen.learner}, incremental ${outcome}) trained on the past campaign ${audience} (${report.window.from} … ${report.window.to}); on its held-out half the Qini coefficient is ${chosen.qini.coefficient.toFixed(3)} (0 = random targeting), p = ${formatQiniP(report.qiniTest.pValue)} against ${report.qiniTest.permutations} shuffles of the scores${family}${small ? `; ${small}` : ''}`,
    };
  }
  const why = tried.map((t) => {
    if ('refused' in t) return `${t.audience}: ${t.refused}`;
    const { report } = t;
    const i = tested.indexOf(t);
    const best = Math.max(...report.learners.map((l) => l.qini.area));
    const p = `p = ${formatQiniP(report.qiniTest.pValue)} against ${report.qiniTest.permutations} shuffles of the scores`;
    const chance = m > 1 ? `${p}; Holm-adjusted over the ${m} past campaigns tested ${formatQiniP(adjusted[i]!)}, below ${alpha} needed` : `${p}, p < ${alpha} needed`;
    return `${t.audience}: no learner ranks its held-out half better than random targeting ${best > 0 ? `by more than chance (${chance})` : '(no Qini area above 0)'}; Qini of ${report.outcome}: coefficients ${report.learners.map((l) => `${l.learner} ${l.qini.coefficient.toFixed(3)}`).join(', ')}`;
  });
  if (tried.length === 0) return { model: null, reason: `no past campaign is large enough to learn uplift from: ${small}` };
  return { model: null, reason: `no past campaign gives an uplift model better than random targeting: ${[...why, ...(small ? [small] : [])].join('; ')}` };
}

/**
 * Why a past campaign can never give an uplift model, from its groups' counts (`upliftGroupCounts`), or null when it
 * may: each half of a group (a seeded split into two, the training one ⌊n/2⌋) needs `minGroupSize` customers and
 * `minResponders` buyers and non-buyers (`trainUpliftModel`), so a group with fewer than twice as many can give no
 * half enough. Exact for the customers; for buyers a necessary condition (a group of 20 buyers may still split 9 and
 * 11: training then refuses it). In words, without the counts: a shortfall is fewer than the threshold, however few.
 *
 * Example: `tooSmallToLearnFrom({ control: { members: 300, buyers: 0 }, treatment: { members: 700, buyers: 212 } }, { minGroupSize: 50, minResponders: 10 })`
 * → `'its control group has fewer than 20 buyers'`
 */
export function tooSmallToLearnFrom(
  counts: { readonly treatment: UpliftGroupCount; readonly control: UpliftGroupCount },
  rule: { readonly minGroupSize: number; readonly minResponders: number },
  window?: { readonly from: string; readonly to: string },
): string | null {
  const short: string[] = [];
  const inWindow = window ? ` in ${window.from} … ${window.to}` : '';
  for (const label of ['control', 'treatment'] as const) {
    const g = counts[label];
    if (g.members < 2 * rule.minGroupSize) {
      short.push(`its ${label} group has fewer than ${2 * rule.minGroupSize} customers`);
      continue;
    }
    const need = 2 * rule.minResponders;
    const lacking = [...(g.buyers < need ? [`fewer than ${need} buyers`] : []), ...(g.members - g.buyers < need ? [`fewer than ${need} non-buyers`] : [])];
    if (lacking.length > 0) short.push(`its ${label} group has ${lacking.join(' and ')}${inWindow}`);
  }
  return short.length === 0 ? null : short.join(', ');
}

/** The campaigns screened out by `tooSmallToLearnFrom`, counted and named (the first ten), for the reason; '' when none. */
function tooSmallNote(tooSmall: readonly { readonly audience: string; readonly why: string }[], rule: { readonly minGroupSize: number; readonly minResponders: number }): string {
  if (tooSmall.length === 0) return '';
  const named = tooSmall.slice(0, 10).map((c) => `${c.audience} (${c.why})`).join(', ');
  const more = tooSmall.length > 10 ? ` and ${tooSmall.length - 10} more` : '';
  return `${tooSmall.length} past campaign${tooSmall.length === 1 ? '' : 's'} too small to learn from: ${named}${more} — an uplift model needs ${rule.minResponders} buyers, ${rule.minResponders} non-buyers and ${rule.minGroupSize} customers in the treated and the control group of each half`;
}

/**
 * τ̂ for each customer of `table` (a table or view with `customer_id` and a
 * predicted-CLV column): the uplift features as of `asOf` (the day before
 * the send date), as in training, through the model. Tokens in the order of
 * the table sorted by `customer_id`.
 */
export async function predictCustomerUplift(warehouse: Warehouse, model: UpliftModel, table: string, clvColumn: string, asOf: string): Promise<Map<string, number>> {
  const d = warehouse.dialect;
  const data = await warehouse.queryColumns(`WITH s AS (${upliftSummarySql(d, asOf)})
    SELECT k.customer_id, ${upliftFeatureSelect(d, `k.${d.identifier(clvColumn)}`)}
    FROM (SELECT DISTINCT customer_id, ${d.identifier(clvColumn)} FROM ${table}) k LEFT JOIN s ON s.customer_id = k.customer_id ORDER BY k.customer_id`);
  const tau = predictUplift(model, upliftModelFeatures(model).map((f) => data.columns[f] as Float64Array));
  const tokens = data.columns.customer_id as string[];
  return new Map(tokens.map((t, i) => [t, tau[i]!]));
}

/** The day whose end the features of customers drawn on `sendDate` describe. */
export const featuresAsOf = (sendDate: string) => addDays(sendDate, -1);
