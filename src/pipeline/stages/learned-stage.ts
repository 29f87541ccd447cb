import { daysBetween } from '../../core/calendar-days.js';
import type { UserError } from '../../core/errors/user-error.js';
import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { runLearnedStep, type LearnedCard } from '../learned-step.js';
import { challengerOptions } from '../tournament-candidates.js';
import { queryCalibrationSpan, type HonestTournamentResult } from '../honest-tournament.js';
import { analyzeWindowWords, honestSplitError } from '../honest-windows.js';
import { regularityTournamentRuns, wideParameterIntervalsWarning } from './value-stage.js';
import type { Stage } from '../stage.js';
import type { ValueModelCard } from '../value-step.js';
import type { RewrittenScoresCard } from '../rewrite-customer-scores.js';
import { runWords, type RunWords } from '../../core/run-words.js';
import { churnHorizonNote, describeChurnAuc } from '../describe-churn.js';
import { describeChurnSource } from '../churn-source.js';
import { churnHorizonSkipReason, MIN_CHURN_HORIZON_DAYS } from '../churn-horizon.js';

/**
 * The value model card once a learned or MBG/CNBD-k winner has rewritten customer_scores (learned-scores.ts,
 * regularity-scores.ts): its CLV fields describe what customer_scores hold. The totals (12 months, and the
 * --horizon-months one when not 12) are the totals of what was written
 * (the value model's stays in learned.scores); the CLV intervals are the winner's: an MBG/CNBD-k winner's own draws
 * (`intervalDraws`) or its reason for none (`intervalsSkipped`, its refit on a boundary); a learned winner's are empty
 * (`intervalDraws` 0, `intervalsSkipped` naming it — the value model's own reason, a boundary, no longer describes the
 * columns). Without order values (no CLV) the card is returned as it is. Everything else stays the value model's.
 *
 * Example: BG/NBD's card with 200 draws, MBG/CNBD-6 the winner with 73 → `clv: { …, intervalDraws: 73, totalPredicted: 26098.0 }`;
 * GBT (Poisson) the winner → `clv: { …, intervalDraws: 0, intervalsSkipped: "no intervals: GBT (Poisson), the honest
 * tournament's choice, rewrote the predictions, and the intervals described BG/NBD's parameter uncertainty, not GBT (Poisson)'s (a learned model has no parameter draws)" }`
 */
export function valueCardAfterWinnerScores(
  card: ValueModelCard,
  scores: Pick<RewrittenScoresCard, 'totalPredictedClv' | 'horizonTotalPredictedClv'> & { readonly label: string; readonly intervalDraws?: number; readonly intervalsSkipped?: string },
): ValueModelCard {
  if (Number.isNaN(card.clv.totalPredicted)) return card;
  const valueLabel = card.comparison.find((c) => c.chosen)?.label ?? card.final.model;
  const horizon = card.clv.horizonTotalPredicted !== undefined && scores.horizonTotalPredictedClv !== undefined ? { horizonTotalPredicted: scores.horizonTotalPredictedClv } : {};
  const { intervalsSkipped: _valueModels, ...clv } = card.clv;
  // an MBG/CNBD-k winner drew its own intervals (regularity-scores.ts): its draws, or its reason for none
  if (scores.intervalDraws !== undefined) return { ...card, clv: { ...clv, totalPredicted: scores.totalPredictedClv, ...horizon, intervalDraws: scores.intervalDraws, ...(scores.intervalsSkipped ? { intervalsSkipped: scores.intervalsSkipped } : {}) } };
  // a learned winner has no parameter draws: the value model's reason (a boundary) no longer describes the columns
  const intervalsSkipped = `no intervals: ${scores.label}, the honest tournament's choice, rewrote the predictions, and the intervals described ${valueLabel}'s parameter uncertainty, not ${scores.label}'s (a learned model has no parameter draws)`;
  return { ...card, clv: { ...clv, totalPredicted: scores.totalPredictedClv, ...horizon, intervalDraws: 0, intervalsSkipped } };
}

/**
 * The run warning when a tournament winner's scores left customers.csv's CLV intervals empty (`clv.intervalsSkipped`
 * after valueCardAfterWinnerScores), or undefined (intervals drawn, or no CLV at all).
 *
 * Example: → "customers.csv's CLV intervals (predicted_clv_12m_low, _high) are empty: MBG/CNBD-564, the honest tournament's
 * choice, scores the customers, and the mbgcnbd estimates are on a boundary (a/b → 0: …), where parameter uncertainty has no normal approximation"
 */
export function winnerIntervalsWarning(card: ValueModelCard): string | undefined {
  const { intervalsSkipped, intervalDraws, totalPredicted } = card.clv;
  if (!intervalsSkipped || intervalDraws > 0 || Number.isNaN(totalPredicted)) return undefined;
  return `customers.csv's CLV intervals (predicted_clv_12m_low, _high) are empty: ${intervalsSkipped.replace(/^no intervals: /, '')}`;
}

/**
 * What the run says when it ran the honest tournament with MBG/CNBD-k unasked (`regularityTournamentRuns`), with the
 * settings that change it in the run's `words` (`"regularityCheck": false` for a run started through the API).
 *
 * Example: → `the bgnbd fit shows every customer buying at one steady rate: MBG/CNBD-k, which describes regular
 * buyers, ran beside the BTYD models in the honest tournament (inner MAE 0.41 against 0.62 for BG/NBD) and scores
 * customer_scores; --no-regularity-check skips it, --learned-tournament adds the learned models`
 */
export function regularityTournamentNote(valueModel: string, tournament: Pick<HonestTournamentResult, 'candidates'>, wroteScores: boolean, words: RunWords): string {
  const regular = tournament.candidates.find((c) => c.family === 'regularity');
  const winner = tournament.candidates.find((c) => c.chosen);
  const tie = regular && winner && winner !== regular && shownTie(regular, winner);
  const versus = tie
    ? ` (inner MAE ${regular.inner.mae.toFixed(3)}, the same as ${winner.label}’s)`
    : regular && winner && winner !== regular ? ` (inner MAE ${regular.inner.mae.toFixed(3)} against ${winner.inner.mae.toFixed(3)} for ${winner.label})` : regular && winner ? ` (inner MAE ${regular.inner.mae.toFixed(3)})` : '';
  const outcome = winner?.family === 'regularity' ? (wroteScores ? 'and scores customer_scores' : 'and was chosen') : `and was not chosen: ${notChosen(regular, winner)}`;
  return `the ${valueModel} fit shows every customer buying at one steady rate: MBG/CNBD-k, which describes regular buyers, ran beside the BTYD models in the honest tournament${versus} ${outcome}; ${words.set('regularityCheck', false)} skips it, ${words.set('learnedTournament', true)} adds the learned models`;
}

/** Equal inner MAE to the digits shown is a tie, and reads as one (a challenger must beat the best BTYD model by more than 1%). */
const shownTie = (a: { readonly inner: { readonly mae: number } }, b: { readonly inner: { readonly mae: number } }) => a.inner.mae.toFixed(3) === b.inner.mae.toFixed(3);

/** Why MBG/CNBD-k lost to `winner`, by their inner MAE: a tie, lower but not enough (or the rule's other tests), or higher. */
function notChosen(regular: { readonly inner: { readonly mae: number } } | undefined, winner: { readonly label: string; readonly family: string; readonly inner: { readonly mae: number } } | undefined): string {
  const name = winner?.label ?? 'the BTYD model';
  if (!regular || !winner) return `${name} predicted better`;
  if (shownTie(regular, winner)) {
    return `a tie, which the rule gives to ${name}${winner.family === 'btyd' ? ' (a challenger must predict more than 1% better than the best BTYD model)' : ''}`;
  }
  if (regular.inner.mae > winner.inner.mae) return `${name} predicted better`;
  if (winner.family === 'btyd' && regular.inner.mae >= winner.inner.mae * 0.99) return 'its inner MAE was lower, but not by the more than 1% a challenger needs';
  return `its inner MAE was lower, but the rule kept ${name} (the honest tournament’s reason says why)`;
}

/**
 * What the run says when the value model's fit shows steady buyers but the honest tournament that would run MBG/CNBD-k
 * unasked (`regularityTournamentRuns`) does not fit the data's windows: the check is skipped, the run goes on, and the
 * note says why and what runs it (`tooShort`: honest-windows.ts's error, its hint in the run's words).
 *
 * Example: → "the bgnbd fit shows every customer buying at one steady rate, which MBG/CNBD-k describes, but the honest
 * tournament that runs it beside the BTYD models was skipped: the calibration window is too short for the honest
 * tournament: its 31 days give …; to run it, pass --holdout-days from 14 to 17 (…)"
 */
export function regularitySkippedNote(valueModel: string, tooShort: UserError): string {
  return `the ${valueModel} fit shows every customer buying at one steady rate, which MBG/CNBD-k describes, but the honest tournament that runs it beside the BTYD models was skipped: ${tooShort.message}${tooShort.hint ? `; to run it, ${tooShort.hint}` : ''}`;
}

/**
 * The learned models after the value models (`learned-step.ts`): churn early
 * warning → `customer_churn`, its validation next to 1 − P(alive), and with
 * `learnedTournament` the honest tournament's choice (a learned or
 * MBG/CNBD-k winner rewrites customer_scores' purchases and CLV) — all in the card
 * `learned` of run.json.
 */
export const learnedStage: Stage<AnalysisContext> = {
  name: 'learned',
  reads: ['transactions', 'customer_summary', 'customer_scores'],
  // customer_scores: rewritten with the winner's predictions when the honest tournament picks a learned model or MBG/CNBD-k
  writes: ['customer_churn', 'customer_scores'],
  // --no-churn (the stage ran for the regularity check alone): no customer_churn, so customers.csv has no churn columns
  wrote: (context) => (context.options.skipChurn === true ? ['customer_scores'] : ['customer_churn', 'customer_scores']),
  // --no-churn: skipped unless the honest tournament runs, asked for (--learned-tournament) or by the regularity check
  // (the churn early warning stays off)
  skip: (context) =>
    context.results.valueModel === null ||
    (context.options.skipChurn === true && context.options.learnedTournament !== true && !regularityTournamentRuns(context.options, context.results.valueModel)),
  async run(context) {
    const card = requireResult(context, 'valueModel');
    const asOf = requireResult(context, 'asOf');
    const words = runWords(context.options.api);
    const windowWords = analyzeWindowWords(words);
    const asked = context.options.learnedTournament === true;
    // steady buyers (the BTYD fit on its one-rate boundary): MBG/CNBD-k, which describes them, runs in the honest tournament unasked
    let regularOnly = regularityTournamentRuns(context.options, card);
    if (asked || regularOnly) {
      // windows too short for the tournament's inner split: asked for, the run stops saying what to change (also when the
      // churn label's window is too short, where the step would skip the tournament unsaid); unasked, it is skipped with a note
      const tooShort = honestSplitError({ calibrationDays: (await queryCalibrationSpan(context.warehouse, card.calibrationEnd)).days, holdoutDays: daysBetween(card.calibrationEnd, asOf) }, windowWords);
      if (tooShort && asked) throw tooShort;
      if (tooShort) {
        regularOnly = false;
        context.warnings.push(regularitySkippedNote(card.final.model, tooShort));
      }
    }
    const challengers = regularOnly ? { learned: [], regularity: true } : challengerOptions(context.options.tournamentCandidates);
    const learned = await runLearnedStep(context.warehouse, {
      asOf,
      calibrationEnd: card.calibrationEnd,
      timeUnit: context.timeUnit,
      grain: context.grain,
      purchaseModel: card.final.model,
      purchaseFit: card.final,
      clv: card.clv,
      tournament: context.options.learnedTournament === true || regularOnly,
      ...(challengers.learned ? { learnedCandidates: challengers.learned } : {}),
      ...(challengers.regularity !== undefined ? { regularity: challengers.regularity } : {}),
      windowWords,
      ...(context.options.churnDays !== undefined ? { churnDays: context.options.churnDays } : {}),
      churnWords: { give: words.give, name: words.name('churnDays') },
      ...(context.options.skipChurn === true ? { churn: false } : {}),
    });
    // why the tournament ran, for the report's lead (run.json learned.tournamentRanFor): asked for, or by the regularity check
    context.results.learned = learned?.tournament ? { ...learned, tournamentRanFor: asked ? 'asked' : 'steady-buyers' } : learned;
    // an MBG/CNBD-k winner wrote p_alive too (a learned winner keeps the value model's)
    if (learned?.scores?.model === 'mbgcnbd') context.results.scoresModel = { model: 'mbgcnbd', timeUnit: context.timeUnit, grain: context.grain, asOf: requireResult(context, 'asOf') };
    if (learned?.scores !== undefined) {
      // the value model's intervals no longer are customers.csv's: the value stage's word on how wide they are goes
      const stale = wideParameterIntervalsWarning(card);
      const at = stale === null ? -1 : context.warnings.indexOf(stale);
      if (at >= 0) context.warnings.splice(at, 1);
      context.results.valueModel = valueCardAfterWinnerScores(card, learned.scores);
      const emptyIntervals = winnerIntervalsWarning(context.results.valueModel);
      if (emptyIntervals) context.warnings.push(emptyIntervals);
    }
    if (learned === null) {
      // no default N fits: say which window is short (a --holdout-days under 14 days, or the history before it)
      const window = { calibrationDays: (await queryCalibrationSpan(context.warehouse, card.calibrationEnd)).days, holdoutDays: daysBetween(card.calibrationEnd, asOf) };
      context.warnings.push(`churn early warning skipped: ${churnHorizonSkipReason(window, words.name('holdoutDays'))}`);
      return window.holdoutDays < MIN_CHURN_HORIZON_DAYS ? 'skipped: holdout too short' : 'skipped: history too short';
    }
    if (regularOnly && learned.tournament) context.warnings.push(regularityTournamentNote(card.final.model, learned.tournament, learned.scores !== undefined, words));
    if (learned.scoresKept) context.warnings.push(learned.scoresKept);
    if (learned.scores && 'refitWarning' in learned.scores && learned.scores.refitWarning) context.warnings.push(learned.scores.refitWarning);
    if (!learned.churn) return `no churn early warning; honest tournament: ${learned.tournament?.chosen ?? 'not run'}${learned.scores ? ' (scores customer_scores)' : ''}`;
    // the convergence rule (choose-honest-winner.ts): a winner whose fits did not converge is a warning; who was passed over for theirs, on the stage line
    const winner = learned.tournament?.candidates.find((c) => c.chosen);
    if (winner?.fitIssue) context.warnings.push(`the honest tournament chose ${winner.label} although its fits did not converge (${winner.fitIssue}): the BTYD model it replaced did not converge either; treat its predictions with care`);
    const passedOver = learned.tournament?.candidates.filter((c) => c.fitIssue && !c.chosen && c.family !== 'btyd' && c.inner.mae < winner!.inner.mae * 0.99) ?? [];
    const v = learned.churn.validation;
    // no classifier trained (one class in its labels): customer_churn is empty, and the run says why in one line
    const skipped = learned.churn.scoresSkipped;
    if (skipped) context.warnings.push(`churn early warning not scored: ${skipped.replace(/^no churn scores: /, '')}`);
    const choice = learned.tournament ? `; honest tournament: ${learned.tournament.chosen}${learned.scores ? ' (scores customer_scores)' : learned.scoresKept ? (learned.tournament.chosen === 'mbgcnbd' ? ' (its refit failed: the value model scores customer_scores)' : ' (its scores were not used: the value model scores customer_scores)') : learned.valueModelScores ? ` (a BTYD model: the value model, ${card.final.model}, scores customer_scores)` : ''}${passedOver.length > 0 ? `; passed over for fits that did not converge: ${passedOver.map((c) => c.name).join(', ')}` : ''}` : '';
    if (learned.churn.horizonChosen === 'shortened') context.warnings.push(`the churn early warning looks ${learned.churn.horizonDays} days ahead, ${learned.churn.horizonReason}; ${words.name('churnDays')} sets a shorter N, a shorter ${words.name('holdoutDays')} leaves more history`);
    return `churn in ${learned.churn.horizonDays} days (${churnHorizonNote(learned.churn.horizonChosen, daysBetween(card.calibrationEnd, asOf), words)}): ${skipped ? 'customers not scored (one class in the training labels); ' : ''}${describeChurnAuc(v)}${describeChurnSource(learned.churn)}${choice}`;
  },
};
