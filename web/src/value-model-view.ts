/**
 * What the overview and the value model card say about the value model and the customer scores, as text (no DOM: the
 * pages wrap it in elements, the tests read it as it is). The value model is chosen on the holdout; the customers'
 * predictions — and the predicted value these pages total — are the honest tournament's winner's when it rewrote them
 * (src/report/scores-model.ts, the report's words), so every figure names the model that produced it.
 */
import type { ModelCardResponse, OverviewResponse } from '../../src/server/routes/read-api-types.js';
import { formatMoney, formatPercent, formatSignificant } from '../../src/report/format-number.js';
import { prospectsBesideBuyersTotal } from '../../src/report/prospects-value.js';
import { clvTotalsByMonths, totalPredictedMonths } from '../../src/core/clv-totals.js';
import { clvIntervalsClause, describeScoresModel, describeTrackingHoldout, scoredBy } from '../../src/report/scores-model.js';

/** How the dashboard names the customers' scores (the report says customers.csv's). */
const SCORES_OF = 'the customers’';

/** The overview's predicted value tile: the total, with the model whose predictions it sums; null without a total. */
export function predictedValueTile(valueModel: OverviewResponse['valueModel'], prospects: OverviewResponse['prospects'] = null): { label: string; value: string; note: string } | null {
  if (!valueModel || valueModel.totalPredicted === null) return null;
  const s = valueModel.scores;
  // the buyers' total: the prospects' expected first-year value is named beside it, in the report overview's words
  const beside = prospectsBesideBuyersTotal(prospects);
  return { label: `predicted value, ${valueModel.horizonMonths} months`, value: formatMoney(valueModel.totalPredicted), note: `${s.label}’s predictions${s.rewritten ? ' (the honest tournament’s choice)' : ''}${beside ? `, ${beside}` : ''}` };
}

/** The overview's value model paragraphs: the model chosen and why, then what the honest tournament did to the scores. */
export function valueModelParagraphs(valueModel: NonNullable<OverviewResponse['valueModel']>): { chosen: string; reason: string; scores: string | null } {
  return { chosen: valueModel.label, reason: ` was chosen: ${valueModel.reason}`, scores: valueModel.scoresNote === '' ? null : valueModel.scoresNote };
}

/** The value model card's words about the scores, for a run with a value model card. */
export interface ModelCardWords {
  /** after "X was chosen: reason": what the honest tournament did to the scores, or null */
  readonly scores: string | null;
  /** the cumulative tracking chart's caption */
  readonly trackingCaption: string | null;
  /** added to the P(alive) captions when the customers' P(alive) is not the value model's ('' else) */
  readonly pAliveNotice: string;
  /** the final fit's row: its model and parameters, and whose predictions the customers carry when not its own */
  readonly finalFit: string | null;
  /** the CLV row: settings, the total and whose predictions it sums, and the intervals */
  readonly clv: string | null;
  /** whose 1 − P(alive) the churn model is compared with */
  readonly churnBaseline: string;
  /** the churn card's lines on the scores (run.json learned: scores.note, scoresKept, valueModelScores) */
  readonly churnScores: readonly string[];
}

/** Parameters as `r 0.243, alpha 4.41`. */
export const formatParams = (p: Readonly<Record<string, number>> | null | undefined) => (p ? Object.entries(p).map(([k, v]) => `${k} ${formatSignificant(v)}`).join(', ') : '–');

/** The value model card's words (see ModelCardWords). */
export function modelCardWords(card: NonNullable<ModelCardResponse['modelCard']>, churn: ModelCardResponse['churn']): ModelCardWords {
  const s = scoredBy(card, churn);
  const sentence = describeScoresModel(card, churn, SCORES_OF);
  const tracking = card.diagnostics?.tracking;
  const clv = card.clv;
  return {
    scores: sentence === '' ? null : sentence,
    trackingCaption: tracking ? `Actual against expected repeat purchases of the whole base; the line marks the end of calibration. ${describeTrackingHoldout(tracking, `${SCORES_OF} scores`)}` : null,
    pAliveNotice: s.pAlive !== s.valueModel ? ` These show ${s.valueModel}’s P(alive) (the value model); ${SCORES_OF} P(alive) is ${s.pAlive}’s.` : '',
    finalFit: card.final ? `${card.final.model}: ${formatParams(card.final.params)}${s.rewritten ? ` (the value model; ${SCORES_OF} predictions are ${s.label}’s)` : ''}` : null,
    // without order values there is no total (null in JSON), and no intervals to speak of
    clv: clv
      ? `${totalPredictedMonths(clv)} months, discount ${formatPercent(clv.discountRatePerYear, 0)}/year, margin ${formatPercent(clv.margin, 0)}${
          typeof clv.totalPredicted === 'number'
            ? `; total predicted ${clvTotalsByMonths(clv).map(({ months, total }, i, all) => `${formatMoney(total)}${all.length > 1 ? ` over ${months} months` : ''}`).join(', ')}, ${s.label}’s predictions${clvIntervalsClause(card, churn, `${SCORES_OF} CLV intervals`)}`
            : ''
        }`
      : null,
    churnBaseline: `1 − P(alive) of ${churn?.churn?.validation.pAliveModel ?? s.pAlive}`,
    churnScores: [churn?.scores?.note, churn?.scoresKept, churn?.valueModelScores].filter((x): x is string => x !== undefined && x !== '').map((x) => `Scores: ${x}.`),
  };
}
