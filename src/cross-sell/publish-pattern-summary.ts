import type { GroupRules, RuleRow } from './mine-rules.js';
import type { SequenceRuleRow } from './mine-sequence-rules.js';
import type { PatternSummary } from './patterns-step.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { belowK } from '../privacy/disclosure/below-k.js';
import { suppressRows, type SuppressionTally } from '../privacy/disclosure/suppress-rows.js';

/** Rules kept and how many were left out. */
export interface KeptRules<R> {
  readonly rules: R[];
  readonly withheld: number;
}

/**
 * Leave out association rules that rest on fewer than k customers: the
 * distinct customers whose baskets hold the whole rule (`customers`), not
 * the baskets (`count`) — one customer repeating a combination in many
 * orders is still one customer. Rules are dropped, not nulled: a rule
 * without its numbers says nothing, and its items alone tell what a few
 * customers bought.
 */
export function publishAssociationRules<R extends Pick<RuleRow, 'count'> & { readonly customers?: number }>(rules: readonly R[], minGroupSize: number): KeptRules<R> {
  // a mined rule rests on one customer at least: every rule below k is left out
  const kept = rules.filter((r) => !belowK(r.customers ?? r.count, minGroupSize));
  return { rules: kept, withheld: rules.length - kept.length };
}

/** Leave out next-purchase rules followed by fewer than k customers (`count` is customers there). */
export function publishSequenceRules<R extends Pick<SequenceRuleRow, 'count'>>(rules: readonly R[], minGroupSize: number): KeptRules<R> {
  const kept = rules.filter((r) => !belowK(r.count, minGroupSize));
  return { rules: kept, withheld: rules.length - kept.length };
}

/** Rules of one group of customers as published: a small group's size is null and its rules are left out. */
export interface PublishedGroupRules {
  readonly group: string;
  readonly customers: number | null;
  readonly baskets: number | null;
  readonly rules: readonly RuleRow[];
  readonly suppression: Suppression;
  /** rules of the group left out (resting on fewer than k customers, or all of a small group's) */
  readonly withheld: number;
  /** rules of the group left out for low lift (null for a small group, whose rules are not described) */
  readonly lowLiftRules: number | null;
}

/**
 * Suppress rules mined per group (`clvkit rules --per table.column`): a
 * group of fewer than k customers shows neither its size nor any rule;
 * complementary groups (chosen so the groups' total cannot reveal a small
 * one) hide their size and baskets but keep their rules. In every shown
 * group, rules resting on fewer than k customers are left out.
 */
export function publishGroupRules(groups: readonly GroupRules[], minGroupSize: number): PublishedGroupRules[] {
  return suppressRows(groups, { count: 'customers', measures: ['baskets'], minGroupSize }).map((g) => {
    const kept = g.suppression === 'small-group' ? { rules: [], withheld: g.rules.length } : publishAssociationRules(g.rules, minGroupSize);
    return { ...g, rules: kept.rules, withheld: kept.withheld, lowLiftRules: g.suppression === 'small-group' ? null : g.lowLiftRules };
  });
}

/** The cross-sell summary of run.json with rules and next-purchase rules of fewer than k customers left out. */
export function publishPatternSummary(patterns: PatternSummary, minGroupSize: number, tally?: SuppressionTally): PatternSummary {
  const rules = publishAssociationRules(patterns.rules, minGroupSize);
  const sequenceRules = publishSequenceRules(patterns.sequenceRules, minGroupSize);
  tally?.rules('patterns.rules', rules.withheld);
  tally?.rules('patterns.sequenceRules', sequenceRules.withheld);
  return { ...patterns, rules: rules.rules, sequenceRules: sequenceRules.rules };
}
