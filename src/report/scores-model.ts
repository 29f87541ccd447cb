/**
 * Whose predictions the customer scores hold, and how the value model card's figures relate to them, in the words the
 * report (model section) and the dashboard (overview, value model card) share. No node: imports: the browser bundle
 * takes this module as it is (test/report/campaign-kpi-row shows the same arrangement).
 *
 * The value model is chosen on the holdout and refitted on all data to score the customers, unless the honest
 * tournament's winner — a learned model or MBG/CNBD-k — rewrote customer_scores (run.json `learned.scores`): then the
 * predicted CLV and expected purchases are the winner's, and so is the card's `clv.totalPredicted` (MBG/CNBD-k writes
 * P(alive) too; a learned winner keeps the value model's). A BTYD winner other than the value model leaves the scores
 * (`learned.valueModelScores`), as does an MBG/CNBD-k winner whose refit failed (`learned.scoresKept`).
 */
import { formatCount, formatPercent } from './format-number.js';
import type { ModelComparisonEntry, ReportChurn, ReportModelCard, TrackingData } from './report-data.js';

/** The parts of run.json `learned` that say who scored the customers. */
export type LearnedScoresParts = Pick<ReportChurn, 'scores' | 'scoresKept' | 'valueModelScores' | 'tournament'>;

/** Who scored the customers. */
export interface ScoredBy {
  /** the model whose predicted CLV and expected purchases customer_scores hold (and the card's total sums) */
  readonly label: string;
  /** the model whose P(alive) customer_scores hold: the winner's when MBG/CNBD-k rewrote the scores, else the value model's */
  readonly pAlive: string;
  /** the value model: the tournament on the holdout */
  readonly valueModel: string;
  /** the honest tournament's winner rewrote the scores (then `label` is the winner, not the value model) */
  readonly rewritten: boolean;
}

/** The value model's label (its comparison entry, else its code). */
export function valueModelLabel(card: Pick<ReportModelCard, 'chosen'> & { readonly comparison: readonly Pick<ModelComparisonEntry, 'model' | 'label' | 'chosen'>[] }): string {
  return (card.comparison.find((c) => c.chosen) ?? card.comparison.find((c) => c.model === card.chosen))?.label ?? card.chosen;
}

/**
 * Who scored the customers of a run.
 *
 * Example: BG/NBD the value model, MBG/CNBD-6 the honest tournament's winner → `{ label: 'MBG/CNBD-6', pAlive:
 * 'MBG/CNBD-6', valueModel: 'BG/NBD', rewritten: true }`; a GBT winner → P(alive) stays BG/NBD's.
 */
export function scoredBy(card: Parameters<typeof valueModelLabel>[0], learned: LearnedScoresParts | null | undefined): ScoredBy {
  const valueModel = valueModelLabel(card);
  const winner = learned?.scores;
  if (!winner) return { label: valueModel, pAlive: valueModel, valueModel, rewritten: false };
  return { label: winner.label, pAlive: winner.k !== undefined ? winner.label : valueModel, valueModel, rewritten: true };
}

/**
 * What the honest tournament did to the scores, after the sentence that says the value model was chosen and refitted
 * to score customers; '' when it did nothing worth a word (it did not run, or chose the value model). `scoresOf` names
 * the scores as the reader knows them: the report `customers.csv’s`, the dashboard `the customers’`.
 *
 * Example: `'Here the honest tournament (Churn early warning) chose MBG/CNBD-6 over it, so MBG/CNBD-6 scored
 * customers.csv’s P(alive), expected purchases, predicted CLV and next-order dates instead.'`
 */
export function describeScoresModel(card: Parameters<typeof valueModelLabel>[0], learned: LearnedScoresParts | null | undefined, scoresOf: string): string {
  const winner = learned?.scores;
  if (winner) return `Here the honest tournament (Churn early warning) chose ${winner.label} over it, so ${winner.label} scored ${scoresOf} ${winner.k !== undefined ? 'P(alive), expected purchases, predicted CLV and next-order dates' : 'expected purchases and predicted CLV'} instead.`;
  if (learned?.valueModelScores) {
    const btyd = learned.tournament?.candidates.find((c) => c.chosen)?.label ?? 'another BTYD model';
    return `The honest tournament (Churn early warning) preferred ${btyd} on its own window; a BTYD model does not replace this one, so ${scoresOf} scores are ${valueModelLabel(card)}’s.`;
  }
  return '';
}

/**
 * Why the customers' CLV has or has not per-customer intervals, as a clause after the CLV formula. `columns` names the
 * interval columns as the reader knows them (the report: `customers.csv's predicted_clv_12m_low and _high`).
 */
export function clvIntervalsClause(card: Parameters<typeof valueModelLabel>[0] & Pick<ReportModelCard, 'clv'>, learned: LearnedScoresParts | null | undefined, columns: string): string {
  const clv = card.clv;
  if (!clv) return '';
  // (prospects keep theirs: their interval is the propensity's and the new-customer value's, prospect-value.ts)
  // no intervals when the fit sits on a boundary, nor when a learned winner rewrote the scores (learned-scores.ts empties
  // them); an MBG/CNBD-k winner draws its own (regularity-scores.ts), a run.json of an older version has none after it
  if (clv.intervalsSkipped) return ` (${clv.intervalsSkipped}: ${columns} are empty for buyers)`;
  const winner = learned?.scores;
  const drawn = clv.intervalDraws === undefined ? !winner : clv.intervalDraws > 0;
  if (winner && !drawn) return `; ${columns} are empty for buyers: the intervals described ${valueModelLabel(card)}'s parameter uncertainty, and ${winner.label} rewrote the predictions`;
  const draws = clv.intervalDraws ? ` (${clv.intervalDraws} parameter draws)` : '';
  return clv.intervalLevel !== undefined && drawn ? `; per-customer ${formatPercent(clv.intervalLevel, 0)} intervals come from ${winner ? `${winner.label}'s ` : ''}parameter uncertainty${draws}` : '';
}

/**
 * The cumulative tracking curve against the conditional forecasts: the curves forecast the customer base from each
 * customer's first purchase date alone; the holdout figures, the chart by calibration frequency and the customer
 * scores forecast each customer from their own purchases — so the two holdout totals differ, and both the report and
 * the dashboard say why where both are shown. `scoresAre` names the scores (the report: `customers.csv’s scores`).
 */
export function trackingVersusConditional(scoresAre: string): string {
  return `This curve is the model’s forecast for the customer base knowing only when each customer first bought; the holdout figures above and the chart by calibration frequency are conditional forecasts, from each customer’s own purchases so far (as ${scoresAre} are), so their holdout totals differ.`;
}

/** The tracking forecast's holdout against the actual repeat purchases, in one sentence, and why it differs from the conditional forecasts. */
export function describeTrackingHoldout(t: TrackingData, scoresAre: string): string {
  const running = (values: readonly number[]) => values.reduce<number[]>((acc, v) => [...acc, (acc[acc.length - 1] ?? 0) + v], []);
  const actual = t.actualCumulative ?? running(t.actualIncremental);
  const expected = t.expectedCumulative ?? running(t.expectedIncremental);
  const last = actual.length - 1;
  const end = Math.min(Math.max(0, t.calibrationEndIndex), last);
  const holdoutActual = actual[last]! - actual[end]!;
  const holdoutExpected = expected[last]! - expected[end]!;
  const error = holdoutActual === 0 ? NaN : (holdoutExpected - holdoutActual) / holdoutActual;
  return `After the calibration end the model forecasts ${formatCount(holdoutExpected)} repeat purchases against ${formatCount(holdoutActual)} actual (${error >= 0 ? '+' : ''}${formatPercent(error)}). ${trackingVersusConditional(scoresAre)}`;
}
