import type { ValueModelCard } from './value-step.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { suppressSeries } from '../privacy/disclosure/suppress-series.js';
import type { SuppressionTally, WithheldNumbers } from '../privacy/disclosure/suppress-rows.js';

type Diagnostics = ValueModelCard['diagnostics'];

/** The calibration histogram as published: `actual` (customers per bin) withheld for bins of fewer than k customers; `expected` is the model's and stays. */
export interface PublishedCalibrationHistogram {
  readonly labels: readonly string[];
  readonly actual: WithheldNumbers;
  readonly expected: readonly number[];
  /** per bin: why `actual` is null, or null */
  readonly suppression: readonly Suppression[];
}

/** The conditional expectation as published: a bin of fewer than k customers shows neither its size nor its means. */
export interface PublishedConditionalExpectation {
  readonly labels: readonly string[];
  readonly customers: WithheldNumbers;
  readonly actual: WithheldNumbers;
  /** the model's mean prediction for the bin's customers (from their own histories): withheld with the bin */
  readonly expected: WithheldNumbers;
  readonly suppression: readonly Suppression[];
}

/** The value model card of run.json and the report, small bins of its diagnostics suppressed. */
export type PublishedValueModelCard = Omit<ValueModelCard, 'diagnostics'> & {
  readonly diagnostics: Omit<Diagnostics, 'calibrationHistogram' | 'conditionalExpectation'> & {
    readonly calibrationHistogram: PublishedCalibrationHistogram;
    readonly conditionalExpectation: PublishedConditionalExpectation;
  };
};

/**
 * Suppress the per-bin aggregates of the model card. Both diagnostics bin
 * the same calibration customers by repeat purchases, so both are suppressed
 * from the histogram's counts (the same bins go in both; their total is
 * `calibrationCustomers`). The conditional expectation's `expected` is an
 * average of the model's predictions for the bin's own customers, so it goes
 * with the bin; the histogram's `expected` is the model's distribution and
 * stays. Model parameters, holdout metrics and the P(alive) grid describe no
 * group and stay; the tracking series (repeat purchases of everyone per
 * week) is not covered.
 */
export function publishModelCard(card: ValueModelCard, minGroupSize: number, tally?: SuppressionTally): PublishedValueModelCard {
  const histogram = card.diagnostics.calibrationHistogram;
  const expectation = card.diagnostics.conditionalExpectation;
  const bins = suppressSeries({ counts: histogram.actual }, { minGroupSize });
  const marks = bins.suppression;
  tally?.groups('valueModel.diagnostics.calibrationHistogram', marks);
  const keep = <T>(values: readonly T[]): (T | null)[] => values.map((v, i) => (marks[i] === null ? v : null));
  return {
    ...card,
    diagnostics: {
      ...card.diagnostics,
      calibrationHistogram: { labels: histogram.labels, actual: bins.counts, expected: histogram.expected, suppression: marks },
      conditionalExpectation: {
        labels: expectation.labels,
        customers: keep(expectation.customers),
        actual: keep(expectation.actual),
        expected: keep(expectation.expected),
        suppression: marks,
      },
    },
  };
}
