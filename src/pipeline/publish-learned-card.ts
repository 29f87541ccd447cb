/**
 * The publication rule of the learned card (run.json `learned`): the bins of
 * the churn reliability curves describe groups of customers, so a bin of
 * fewer than k customers is withheld (count, mean prediction and observed
 * rate null), with a complementary bin where the total would reveal it.
 * Everything else is a whole-population figure (AUC, Brier, holdout metrics)
 * or a model setting, and passes through.
 */
import type { ReliabilityBin } from '../models/classification-metrics.js';
import type { ChurnScorecard } from '../models/evaluate-churn-scores.js';
import { suppressRows, type PublishedRow, type SuppressionTally } from '../privacy/disclosure/suppress-rows.js';
import type { LearnedCard } from './learned-step.js';

export type PublishedChurnScorecard = Omit<ChurnScorecard, 'reliability'> & { readonly reliability: readonly PublishedRow<ReliabilityBin, 'count' | 'meanPredicted' | 'observedRate'>[] };

export type PublishedLearnedCard = Omit<LearnedCard, 'churn'> & {
  readonly churn: Omit<LearnedCard['churn'], 'validation'> & {
    readonly validation: Omit<LearnedCard['churn']['validation'], 'learned' | 'btydOneMinusPAlive'> & {
      readonly learned: PublishedChurnScorecard;
      readonly btydOneMinusPAlive: PublishedChurnScorecard;
    };
  };
};

function publishScorecard(card: ChurnScorecard, minGroupSize: number, tally: SuppressionTally, table: string): PublishedChurnScorecard {
  const reliability = suppressRows(card.reliability, { count: 'count', measures: ['meanPredicted', 'observedRate'], minGroupSize, tally: { tally, table } });
  return { ...card, reliability };
}

/** The learned card as published: small reliability bins withheld (see the file header). */
export function publishLearnedCard(card: LearnedCard, minGroupSize: number, tally: SuppressionTally): PublishedLearnedCard {
  const v = card.churn.validation;
  return {
    ...card,
    churn: {
      ...card.churn,
      validation: {
        ...v,
        learned: publishScorecard(v.learned, minGroupSize, tally, 'learned.churn.validation.learned.reliability'),
        btydOneMinusPAlive: publishScorecard(v.btydOneMinusPAlive, minGroupSize, tally, 'learned.churn.validation.btydOneMinusPAlive.reliability'),
      },
    },
  };
}
