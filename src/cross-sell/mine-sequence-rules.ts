import { generateNextPurchaseRules } from '../models/patterns/next-purchase-rules.js';
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

/** Mine "after A, customers buy B next" rules from customers' order sequences. */
export function mineSequenceRules(data: PurchaseData, options: PatternOptions): SequenceRuleRow[] {
  const patterns = mineSequentialPatterns(data.sequences, { minSupport: options.sequenceMinSupport ?? 0.02, maxLength: options.maxLength ?? 3 });
  return generateNextPurchaseRules(patterns, { minConfidence: 0, rankBy: 'lift', maxRules: options.topRules ?? 50 }).map((rule) => ({
    after: rule.antecedent.map((element) => itemCodesOf(data, element)),
    afterLabels: rule.antecedent.map((element) => itemLabelsOf(data, element)),
    next: itemCodesOf(data, rule.consequent),
    nextLabels: itemLabelsOf(data, rule.consequent),
    support: rule.support,
    confidence: rule.confidence,
    lift: rule.lift,
    count: rule.count,
  }));
}
