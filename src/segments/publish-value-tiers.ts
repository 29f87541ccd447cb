import type { ValueQuadrantSummary, ValueTiers, ValueTierSummary } from './assign-value-tiers.js';
import { suppressRows, type PublishedRow, type SuppressionTally } from '../privacy/disclosure/suppress-rows.js';
import { withholdExtremes } from '../privacy/disclosure/withhold-extremes.js';

export const VALUE_TIER_MEASURES = ['share', 'minValue', 'maxValue', 'historicValue', 'historicValueShare', 'predictedValue', 'predictedValueShare'] as const;
export const VALUE_QUADRANT_MEASURES = ['share', 'historicValue', 'predictedValue'] as const;

export type PublishedValueTier = PublishedRow<ValueTierSummary, 'customers' | (typeof VALUE_TIER_MEASURES)[number]>;
export type PublishedValueQuadrant = PublishedRow<ValueQuadrantSummary, 'customers' | (typeof VALUE_QUADRANT_MEASURES)[number]>;

export type PublishedValueTiers = Omit<ValueTiers, 'tiers' | 'quadrant'> & {
  readonly tiers: readonly PublishedValueTier[];
  readonly quadrant: (Omit<NonNullable<ValueTiers['quadrant']>, 'quadrants'> & { readonly quadrants: readonly PublishedValueQuadrant[] }) | null;
};

/**
 * Suppress value tiers and value quadrants: a tier or quadrant of fewer than
 * k customers shows no size, share, value range or value (complementary:
 * their total, `customers`, is published). The lowest `minValue` and the
 * highest `maxValue` of all tiers are withheld: each is one customer's own
 * value (the most valuable customer's, at the top). The quadrant thresholds
 * (medians) stay.
 */
export function publishValueTiers(tiers: ValueTiers, minGroupSize: number, tally?: SuppressionTally): PublishedValueTiers {
  const rows = suppressRows(tiers.tiers, { count: 'customers', measures: VALUE_TIER_MEASURES, minGroupSize, ...(tally ? { tally: { tally, table: 'segments.valueTiers.tiers' } } : {}) });
  const ranges = withholdExtremes(
    rows.map((t) => (t.minValue === null && t.maxValue === null ? null : [t.minValue, t.maxValue])),
    tiers.tiers.map((t) => [t.minValue, t.maxValue]),
  );
  return {
    ...tiers,
    tiers: rows.map((t, i) => ({ ...t, minValue: ranges[i]?.[0] ?? null, maxValue: ranges[i]?.[1] ?? null })),
    quadrant: tiers.quadrant
      ? {
          ...tiers.quadrant,
          quadrants: suppressRows(tiers.quadrant.quadrants, { count: 'customers', measures: VALUE_QUADRANT_MEASURES, minGroupSize, ...(tally ? { tally: { tally, table: 'segments.valueTiers.quadrant.quadrants' } } : {}) }),
        }
      : null,
  };
}
