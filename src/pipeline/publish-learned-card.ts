/**
 * The publication rule of the learned card (run.json `learned`): the bins of
 * the churn reliability curves describe groups of customers, so a bin of
 * fewer than k customers is withheld (count, mean prediction and observed
 * rate null), with a complementary bin where the total would reveal it; so
 * are the deciles of the lift tables (churn and holdout purchases), which
 * hold a tenth of the customers each and are withheld only on small data.
 * Everything else is a whole-population figure (AUC, Brier, holdout metrics)
 * or a model setting, and passes through.
 */
import type { ReliabilityBin } from '../models/classification-metrics.js';
import type { ChurnScorecard } from '../models/evaluate-churn-scores.js';
import { suppressRows, type PublishedRow, type SuppressionTally } from '../privacy/disclosure/suppress-rows.js';
import type { DecileLiftRow } from '../models/learned/decile-lift.js';
import type { LearnedCard } from './learned-step.js';

export type PublishedDecileLift = readonly PublishedRow<DecileLiftRow, 'customers' | 'meanScore' | 'meanOutcome' | 'lift' | 'cumulativeGain'>[];

function publishLift(rows: readonly DecileLiftRow[], minGroupSize: number, tally: SuppressionTally, table: string): PublishedDecileLift {
  return suppressRows(rows, { count: 'customers', measures: ['meanScore', 'meanOutcome', 'lift', 'cumulativeGain'], minGroupSize, tally: { tally, table } });
}

export type PublishedChurnScorecard = Omit<ChurnScorecard, 'reliability'> & { readonly reliability: readonly PublishedRow<ReliabilityBin, 'count' | 'meanPredicted' | 'observedRate'>[] };

type TournamentCard = NonNullable<LearnedCard['tournament']>;
type ChurnCard = NonNullable<LearnedCard['churn']>;

export type PublishedLearnedCard = Omit<LearnedCard, 'churn' | 'tournament'> & {
  /** absent with analyze --no-churn (the honest tournament ran for the regularity check) */
  readonly churn?: Omit<ChurnCard, 'validation'> & {
    readonly validation: Omit<ChurnCard['validation'], 'learned' | 'btydOneMinusPAlive' | 'btydNoPurchase' | 'lift'> & {
      readonly learned: PublishedChurnScorecard;
      readonly btydOneMinusPAlive: PublishedChurnScorecard;
      readonly btydNoPurchase?: PublishedChurnScorecard;
      readonly lift: { readonly learned: PublishedDecileLift; readonly btydOneMinusPAlive: PublishedDecileLift; readonly btydNoPurchase?: PublishedDecileLift };
    };
  };
  readonly tournament?: Omit<TournamentCard, 'lift'> & { readonly lift: Omit<TournamentCard['lift'], 'chosen' | 'btyd'> & { readonly chosen: PublishedDecileLift; readonly btyd: PublishedDecileLift } };
};

function publishScorecard(card: ChurnScorecard, minGroupSize: number, tally: SuppressionTally, table: string): PublishedChurnScorecard {
  const reliability = suppressRows(card.reliability, { count: 'count', measures: ['meanPredicted', 'observedRate'], minGroupSize, tally: { tally, table } });
  return { ...card, reliability };
}

/** The learned card as published: small reliability bins withheld (see the file header). */
export function publishLearnedCard(card: LearnedCard, minGroupSize: number, tally: SuppressionTally): PublishedLearnedCard {
  const { tournament: t, churn, ...rest } = card;
  return {
    ...rest,
    ...(t
      ? {
          tournament: {
            ...t,
            lift: { ...t.lift, chosen: publishLift(t.lift.chosen, minGroupSize, tally, 'learned.tournament.lift.chosen'), btyd: publishLift(t.lift.btyd, minGroupSize, tally, 'learned.tournament.lift.btyd') },
          },
        }
      : {}),
    ...(churn ? { churn: publishChurn(churn, minGroupSize, tally) } : {}),
  };
}

function publishChurn(churn: ChurnCard, minGroupSize: number, tally: SuppressionTally): NonNullable<PublishedLearnedCard['churn']> {
  const { btydNoPurchase, ...v } = churn.validation;
  const table = 'learned.churn.validation.lift';
  return {
      ...churn,
      validation: {
        ...v,
        learned: publishScorecard(v.learned, minGroupSize, tally, 'learned.churn.validation.learned.reliability'),
        btydOneMinusPAlive: publishScorecard(v.btydOneMinusPAlive, minGroupSize, tally, 'learned.churn.validation.btydOneMinusPAlive.reliability'),
        ...(btydNoPurchase ? { btydNoPurchase: publishScorecard(btydNoPurchase, minGroupSize, tally, 'learned.churn.validation.btydNoPurchase.reliability') } : {}),
        lift: {
          learned: publishLift(v.lift.learned, minGroupSize, tally, `${table}.learned`),
          btydOneMinusPAlive: publishLift(v.lift.btydOneMinusPAlive, minGroupSize, tally, `${table}.btydOneMinusPAlive`),
          ...(v.lift.btydNoPurchase ? { btydNoPurchase: publishLift(v.lift.btydNoPurchase, minGroupSize, tally, `${table}.btydNoPurchase`) } : {}),
        },
      },
  };
}
