import { aliveDependsOnModelWarning } from './alive-depends-on-model.js';
import { withSmallOneTimeGroupWithheld } from '../alive-by-model.js';
import type { HeadlineStats } from '../../features/headline-stats.js';
import { daysBetween } from '../../core/calendar-days.js';
import { reachedOptimum, type FitBoundary } from '../../models/fit-boundary.js';
import { requireResult, type AnalysisContext } from '../analysis-context.js';
import type { Stage } from '../stage.js';
import { plural } from '../../core/plural.js';
import { runValueStep, type ValueModelCard } from '../value-step.js';
import { formatCount } from '../../report/format-number.js';
import { runWords, type RunWords } from '../../core/run-words.js';
import { learnedWindowsCheck } from './learned-windows-check.js';
import { describeModelChoice } from '../describe-model-choice.js';
import { MIN_CUSTOMERS_FOR_MODELS, MIN_REPEAT_CUSTOMERS_FOR_MODELS } from '../../core/model-minimums.js';
import { MIN_VALUE_HOLDOUT_DAYS, longestBalancedHoldoutDays, minimumHoldoutLeavesHistory, shortCalibrationWarning, shortHoldoutWarning } from '../value-holdout.js';

export { MIN_CUSTOMERS_FOR_MODELS, MIN_REPEAT_CUSTOMERS_FOR_MODELS };

/** The warning of a run whose data is too small for the models, or null when the models can run. */
export function modelsSkippedWarning(headline: HeadlineStats): string | null {
  if (headline.customers >= MIN_CUSTOMERS_FOR_MODELS && headline.repeatCustomers >= MIN_REPEAT_CUSTOMERS_FOR_MODELS) return null;
  return `value models skipped: ${plural(headline.customers, 'customer')}, ${formatCount(headline.repeatCustomers)} with repeat purchases; the models need at least ${formatCount(MIN_CUSTOMERS_FOR_MODELS)} and ${formatCount(MIN_REPEAT_CUSTOMERS_FOR_MODELS)}`;
}

/**
 * Whether the value model's final fit settled on the boundary where every customer buys at one rate (no heterogeneity
 * in purchase rates, `r` → ∞): how steady, regular buyers look to the BTYD models, and what MBG/CNBD-k describes.
 */
export function fitShowsSteadyBuyers(card: Pick<ValueModelCard, 'final'>): boolean {
  const edge = card.final.fit.boundary;
  return reachedOptimum(card.final.fit) && edge !== undefined && edge !== null && edge.parameters.includes('r');
}

/**
 * Whether analyze runs the honest tournament with MBG/CNBD-k alone because the value model's fit shows steady buyers
 * (`fitShowsSteadyBuyers`): not when the whole tournament runs anyway (`learnedTournament`) or `regularityCheck` is
 * false. `skipChurn` (--no-churn) does not stop it: it drops the churn early warning only, and the learned stage then
 * runs the tournament alone (learned-step.ts `churn: false`).
 */
export function regularityTournamentRuns(options: Pick<AnalysisContext['options'], 'learnedTournament' | 'regularityCheck'>, card: Pick<ValueModelCard, 'final'>): boolean {
  return options.learnedTournament !== true && options.regularityCheck !== false && fitShowsSteadyBuyers(card);
}

/**
 * Why a fit counts as on its boundary, in one clause: its path ran off there ("the data show …"), or its interior
 * optimum did not beat the limit by the likelihood-ratio bound (fit-boundary.ts `limitNotBeatenByInterior`), said with
 * both numbers and, for the no-dropout limits, that P(alive) is not identified.
 *
 * Example: Online Retail in weeks → "its interior optimum is only 0.09 above its limit's log-likelihood, less than 1.92 (the likelihood-ratio bound): these data do not identify dropout, nor P(alive) (…)"
 */
export function boundaryEvidence(edge: FitBoundary): string {
  const ratio = edge.likelihoodRatio;
  if (!ratio) return `the data show ${edge.meaning}`;
  const noDropout = edge.meaning.startsWith('no dropout');
  return `its interior optimum is only ${ratio.difference.toFixed(2)} above its limit's log-likelihood, less than ${ratio.threshold} (the likelihood-ratio bound): these data do not identify ${noDropout ? 'dropout, nor P(alive) (p_alive is 1 under the limit, and the stages, not p_alive, tell who lapsed)' : 'what the limit leaves out'} — they are as well described by ${edge.meaning}`;
}

/**
 * What a run must say about its value models: a final fit that did not settle, or that settled on a boundary (with a
 * pointer to MBG/CNBD-k when that boundary is how regular buyers look and the honest tournament did not run, naming the
 * setting that runs it in the run's `words`), a model choice among fits none of which converged, and a spend model that
 * did not converge or settled on its boundary.
 *
 * Example: Gamma-Gamma stopped short on a shop whose order values hardly vary → ["the spend model (Gamma-Gamma) did not converge (…): …"]
 */
export function valueModelWarnings(card: Pick<ValueModelCard, 'final' | 'reason' | 'spend'>, learnedTournament: boolean, words: RunWords): string[] {
  const warnings: string[] = [];
  const edge = card.final.fit.boundary;
  if (!reachedOptimum(card.final.fit)) warnings.push(`the ${card.final.model} fit on all data did not converge (${card.final.fit.message}): treat its scores with care`);
  else if (edge) {
    // everyone at one rate is how steady, regular buyers look to the BTYD models: MBG/CNBD-k describes them; no pointer
    // when the honest tournament runs it (`learnedTournament`: asked, or unasked by `regularityTournamentRuns`)
    const regularHint = fitShowsSteadyBuyers(card) && !learnedTournament
      ? `; customers who keep buying at a steady pace are what MBG/CNBD-k describes: ${words.set('learnedTournament', true)} runs it (and the learned models) beside the BTYD models and writes its scores when it predicts better`
      : '';
    warnings.push(`the ${card.final.model} fit on all data sits on a boundary of the parameter space: ${boundaryEvidence(edge)}; its limit (${edge.limitModel}) was fitted in its place and converged, so its predictions are that model's${regularHint}`);
  }
  if (card.reason.includes('no model converged')) warnings.push(`model choice: ${card.reason}`);
  const spendFit = card.spend?.fit;
  if (spendFit && !reachedOptimum(spendFit)) {
    const params = card.spend?.params ? ` (${Object.entries(card.spend.params).map(([name, value]) => `${name} = ${Number(value.toPrecision(4))}`).join(', ')})` : '';
    warnings.push(`the spend model (Gamma-Gamma) did not converge (${spendFit.message.split(/; | \[/)[0]}): the spend per purchase, and the predicted CLV built on it, rest on the estimates where its optimiser stopped${params}: treat them with care`);
  } else if (spendFit?.boundary) {
    warnings.push(`the spend model (Gamma-Gamma) sits on a boundary of the parameter space: the data show ${spendFit.boundary.meaning}; its limit (${spendFit.boundary.limitModel}) was fitted in its place and converged, so each repeat buyer's expected spend per purchase is their own mean spend, not drawn towards the shop's`);
  }
  return warnings;
}

/** Orders of magnitude a parameter's 95% interval may span before the CLV intervals drawn from it are flagged. */
const WIDE_INTERVAL_DECADES = 3;

/**
 * A warning when the CLV intervals were drawn from a final fit some of whose 95% parameter intervals span more than
 * WIDE_INTERVAL_DECADES orders of magnitude: the normal approximation on the log-parameter they are drawn from then
 * says little (null otherwise, and when no intervals were drawn).
 *
 * Example: BG/NBD with a [4.2e-6, 2.28], b [0.0066, 7,950] → "… span 5.7 orders of magnitude for a, 6.1 for b: …"
 */
export function wideParameterIntervalsWarning(card: Pick<ValueModelCard, 'final' | 'clv'>): string | null {
  if (!(card.clv.intervalDraws > 0)) return null;
  const wide = Object.entries(card.final.intervals95)
    .map(([name, [low, high]]) => ({ name, decades: Math.log10(high / low) }))
    .filter(({ decades }) => decades > WIDE_INTERVAL_DECADES);
  if (wide.length === 0) return null;
  const spans = wide.map(({ name, decades }, i) => `${decades.toFixed(1)}${i === 0 ? ' orders of magnitude' : ''} for ${name}`).join(', ');
  return `the CLV intervals (predicted_clv_12m_low, _high) are drawn from the ${card.final.model} fit on all data whose 95% intervals span ${spans}: the normal approximation they are drawn from says little there; read them as a rough range`;
}

/**
 * The value stage's progress line: the chosen model and why, saying which fits sat on a boundary as the summary does
 * (describeModelChoice). Regression: Online Retail's line said "every fit that settled sits on a boundary" of the
 * calibration fits, above a summary saying the refit on all data is interior.
 */
export function valueStageLine(card: Pick<ValueModelCard, 'comparison' | 'reason' | 'calibrationEnd' | 'final'>): string {
  return `${card.comparison.find((c) => c.chosen)!.label} chosen: ${describeModelChoice(card)}`;
}

/**
 * analyze's warning of a calibration window shorter than the holdout (shortCalibrationWarning), naming a longer
 * history or the longest holdout a calibration window as long can precede, in the run's `words`; `first`: the first
 * purchase day.
 */
export function shortCalibrationStageWarning(card: Pick<ValueModelCard, 'calibrationEnd' | 'holdoutEnd'>, first: string, words: RunWords): string | null {
  const holdoutDays = daysBetween(card.calibrationEnd, card.holdoutEnd);
  const span = daysBetween(first, card.holdoutEnd);
  const longest = longestBalancedHoldoutDays(span);
  const shorter = `${words.set('holdoutDays', longest)} or less${longest < MIN_VALUE_HOLDOUT_DAYS ? ` (a shorter holdout, itself weak below ${MIN_VALUE_HOLDOUT_DAYS} days)` : ''}`;
  const longer = `a longer history (a span of ${2 * holdoutDays - 1} days or more from the first purchase leaves the ${holdoutDays}-day holdout a calibration window as long before it)`;
  return shortCalibrationWarning({ calibrationDays: span - holdoutDays, calibrationEnd: card.calibrationEnd, holdoutDays }, { subject: 'the value model', lengthen: `${longer}, or ${shorter},` });
}

/** The value models (`value-step.ts`): tournament, final fit, spend, CLV → `customer_scores`, and the model card. */
export const valueStage: Stage<AnalysisContext> = {
  name: 'value',
  reads: ['transactions', 'customer_summary'],
  writes: ['customer_scores'],
  skip: (context) => context.options.skipModels === true || modelsSkippedWarning(requireResult(context, 'headline')) !== null,
  async run(context) {
    const o = context.options;
    // the learned stage's refusals of the windows (--learned-tournament, --churn-days), before the fits rather than after
    const checkWindows = learnedWindowsCheck(o);
    const stepCard = await runValueStep(context.warehouse, {
      asOf: requireResult(context, 'asOf'),
      timeUnit: context.timeUnit,
      grain: context.grain,
      ...(o.holdoutDays !== undefined ? { holdoutDays: o.holdoutDays } : {}),
      ...(o.model !== undefined ? { model: o.model } : {}),
      ...(o.trackingAge !== undefined ? { trackingAge: o.trackingAge } : {}),
      ...(o.horizonMonths !== undefined ? { horizonMonths: o.horizonMonths } : {}),
      ...(o.discountRatePerYear !== undefined ? { discountRatePerYear: o.discountRatePerYear } : {}),
      ...(o.margin !== undefined ? { margin: o.margin } : {}),
      ...(o.api ? { api: true } : {}),
      ...(checkWindows ? { checkWindows } : {}),
    });
    const card = stepCard.aliveByModel ? { ...stepCard, aliveByModel: withSmallOneTimeGroupWithheld(stepCard.aliveByModel, context.privacy.minGroupSize) } : stepCard;
    context.results.valueModel = card;
    context.results.scoresModel = { model: card.final.model, timeUnit: context.timeUnit, grain: context.grain, asOf: requireResult(context, 'asOf') };
    const words = runWords(o.api);
    context.warnings.push(...valueModelWarnings(card, o.learnedTournament === true || regularityTournamentRuns(o, card), words));
    // a candidate about as good on the holdout that holds a materially different share alive (alive-by-model.ts)
    const alive = aliveDependsOnModelWarning(card.aliveByModel, context.privacy.minGroupSize, words);
    if (alive) context.warnings.push(alive);
    const wide = wideParameterIntervalsWarning(card);
    if (wide) context.warnings.push(wide);
    // a holdout shorter than the shortest default: the choice above rests on a few purchases
    // the longer holdout it names must leave history before it (holdoutCoversDataError), else a longer history is the way
    const first = requireResult(context, 'headline').firstPurchase;
    const room = first === null || minimumHoldoutLeavesHistory(daysBetween(first, requireResult(context, 'asOf')));
    const short = shortHoldoutWarning(card, { subject: 'the value model is', lengthen: room ? `${words.set('holdoutDays', MIN_VALUE_HOLDOUT_DAYS)} or more (the shortest default holdout)` : `a longer history (a holdout of ${MIN_VALUE_HOLDOUT_DAYS} days, the shortest default, leaves none of these data before it)` });
    if (short) context.warnings.push(short);
    // the holdout's days with purchases: an --as-of after the last purchase has its own warning
    const last = requireResult(context, 'headline').lastPurchase;
    const thin = first === null ? null : shortCalibrationStageWarning({ calibrationEnd: card.calibrationEnd, holdoutEnd: last !== null && last < card.holdoutEnd ? last : card.holdoutEnd }, first, words);
    if (thin) context.warnings.push(thin);
    return valueStageLine(card);
  },
};
