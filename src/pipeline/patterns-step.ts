/**
 * Moved to `src/cross-sell/patterns-step.ts`; this re-export keeps the type
 * imports of modules not yet updated working. Import from cross-sell/.
 */
export type { GroupRules, PatternOptions, PatternSummary, RuleRow, SequenceRuleRow } from '../cross-sell/patterns-step.js';
