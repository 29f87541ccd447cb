/**
 * A cluster in plain words, relative to the whole population, from the
 * z-scores of its centre: every feature whose |z| reaches `threshold`
 * (default 0.5 sd) contributes its word for "high" or "low", prefixed
 * "very" from `strongThreshold` (default 1.5 sd) unless the word has its own
 * strong form; the `maxWords` (default 3) largest |z| are kept, largest
 * first. A cluster with no such feature is "close to average".
 *
 * Example: frequency z = +1.1, monetary z = −0.7, recency z = −0.6 →
 * "frequent, low spend, recent".
 */

/** How one feature reads: words for above and below the population (null: say nothing). */
export interface FeatureWords {
  readonly high: string | null;
  readonly low: string | null;
  /** strong forms (default `very ${word}`) */
  readonly veryHigh?: string;
  readonly veryLow?: string;
}

/** Words of the behaviour features (`src/features/behaviour-features.ts`). */
export const BEHAVIOUR_FEATURE_WORDS: Readonly<Record<string, FeatureWords>> = {
  recency_days: { high: 'lapsed', low: 'recent', veryHigh: 'long lapsed', veryLow: 'very recent' },
  frequency: { high: 'frequent', low: 'infrequent' },
  monetary: { high: 'high spend', low: 'low spend' },
  tenure_days: { high: 'long-standing', low: 'new', veryHigh: 'long-standing', veryLow: 'very new' },
  mean_gap_days: { high: 'long gaps between purchases', low: 'short gaps between purchases' },
  basket_size: { high: 'large baskets', low: 'small baskets' },
  product_diversity: { high: 'broad range of products', low: 'narrow range of products' },
  return_rate: { high: 'returns often', low: null, veryHigh: 'returns very often' },
};

export interface DescribedFeature {
  readonly name: string;
  readonly z: number;
  readonly words: FeatureWords;
}

export interface DescribeClusterOptions {
  readonly threshold?: number;
  readonly strongThreshold?: number;
  readonly maxWords?: number;
}

export const DEFAULT_DESCRIBE_THRESHOLDS = { threshold: 0.5, strongThreshold: 1.5, maxWords: 3 } as const;

export function describeCluster(features: readonly DescribedFeature[], options: DescribeClusterOptions = {}): string {
  const threshold = options.threshold ?? DEFAULT_DESCRIBE_THRESHOLDS.threshold;
  const strong = options.strongThreshold ?? DEFAULT_DESCRIBE_THRESHOLDS.strongThreshold;
  const maxWords = options.maxWords ?? DEFAULT_DESCRIBE_THRESHOLDS.maxWords;
  const words = features
    .map((f, order) => ({ f, order, size: Math.abs(f.z) }))
    .filter(({ f, size }) => Number.isFinite(f.z) && size >= threshold && (f.z > 0 ? f.words.high : f.words.low) !== null)
    .sort((a, b) => b.size - a.size || a.order - b.order)
    .slice(0, maxWords)
    .map(({ f, size }) => {
      const word = (f.z > 0 ? f.words.high : f.words.low)!;
      if (size < strong) return word;
      return (f.z > 0 ? f.words.veryHigh : f.words.veryLow) ?? `very ${word}`;
    });
  return words.length === 0 ? 'close to average' : words.join(', ');
}
