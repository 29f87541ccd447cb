import { generateNextPurchaseRules } from '../models/patterns/next-purchase-rules.js';
import { resolveMinSupportCount } from '../models/patterns/min-support.js';
import { mineSequentialPatterns } from '../models/patterns/prefixspan.js';
import { itemCodesOf, itemLabelsOf, type PurchaseData } from './load-purchase-data.js';
import type { PatternOptions } from './pattern-options.js';

export interface SequenceRuleRow {
  /** "after buying these" (earlier orders, in order) */
  readonly after: readonly (readonly string[])[];
  readonly afterLabels: readonly (readonly string[])[];
  /** "… they buy these next" */
  readonly next: readonly string[];
  readonly nextLabels: readonly string[];
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
  readonly count: number;
}

/** What the mining reads of the purchase data: the order sequences and the items' codes and labels. */
export type SequenceRulesInput = Pick<PurchaseData, 'sequences' | 'itemCodes' | 'itemLabels'>;

export interface SequenceRules {
  readonly rules: SequenceRuleRow[];
  /** the minimum support applied, a fraction of customers: the requested one, or higher when the pattern cap raised it */
  readonly minSupport: number;
  /** why the minimum support was raised, in one line; null when it was not */
  readonly minSupportNote: string | null;
}

/** default cap on the sequential patterns mined (`PatternOptions.maxSequentialPatterns`) */
export const MAX_SEQUENTIAL_PATTERNS = 20_000;

/**
 * Mine "after A, customers buy B next" rules from customers' order sequences.
 * At most `maxSequentialPatterns` patterns are mined: where more reach the
 * minimum support (customers who buy nearly everything, e.g. daily buyers)
 * it is raised until they fit, and `minSupportNote` says so.
 */
export function mineSequenceRules(data: SequenceRulesInput, options: PatternOptions): SequenceRules {
  const requested = options.sequenceMinSupport ?? 0.02;
  const maxPatterns = options.maxSequentialPatterns ?? MAX_SEQUENTIAL_PATTERNS;
  const patterns = mineSequentialPatterns(data.sequences, { minSupport: requested, maxLength: options.maxLength ?? 3, maxPatterns });
  const rules = generateNextPurchaseRules(patterns, { minConfidence: 0, rankBy: 'lift', maxRules: options.topRules ?? 50 }).map((rule) => ({
    after: rule.antecedent.map((element) => itemCodesOf(data, element)),
    afterLabels: rule.antecedent.map((element) => itemLabelsOf(data, element)),
    next: itemCodesOf(data, rule.consequent),
    nextLabels: itemLabelsOf(data, rule.consequent),
    support: rule.support,
    confidence: rule.confidence,
    lift: rule.lift,
    count: rule.count,
  }));
  const n = Math.max(1, patterns.nSequences);
  if (patterns.minSupportCount <= resolveMinSupportCount(requested, n)) return { rules, minSupport: requested, minSupportNote: null };
  const minSupport = patterns.minSupportCount / n;
  return {
    rules,
    minSupport,
    minSupportNote: `next-purchase rules: minimum support raised from ${percent(requested < 1 ? requested : requested / n)} to ${percent(minSupport)} of customers (${patterns.minSupportCount.toLocaleString('en-US')}), where at most ${maxPatterns.toLocaleString('en-US')} patterns reach it: customers buy so many products that nearly every sequence is frequent`,
  };
}

const percent = (share: number) => `${(100 * share).toFixed(share < 0.1 ? 1 : 0)}%`;
