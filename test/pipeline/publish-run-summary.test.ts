import { describe, expect, it } from 'vitest';
import type { PatternSummary } from '../../src/cross-sell/patterns-step.js';
import type { RuleRow } from '../../src/cross-sell/mine-rules.js';
import type { RunPrivacy } from '../../src/privacy/warehouse/analysis-privacy.js';
import { publishRunSummary } from '../../src/pipeline/publish-run-summary.js';
import { loadLinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';

const solve = await loadLinearProgramSolver();

describe('publishRunSummary', () => {
  it('passes everything else through, does not change its input and says what it withheld in privacy.suppressed', () => {
    const patterns = { rules: [rule(20, 20), rule(9, 2)], sequenceRules: [{ count: 3 }, { count: 8 }] } as unknown as PatternSummary;
    const privacy = { minGroupSize: 5, notes: [] } as unknown as RunPrivacy;
    const summary = { headline: { customers: 123 }, valueModel: null, segments: null, patterns, privacy };
    const before = JSON.stringify(summary);
    const out = publishRunSummary(summary, 5, solve);
    expect(JSON.stringify(summary)).toBe(before);
    expect(out.headline).toBe(summary.headline);
    expect(out.patterns!.rules).toEqual([patterns.rules[0]]);
    expect(out.patterns!.sequenceRules).toEqual([{ count: 8 }]);
    expect(out.privacy.suppressed).toEqual({ minGroupSize: 5, smallGroups: 0, complementary: 0, values: 0, rulesWithheld: 2, tables: { 'patterns.rules': 1, 'patterns.sequenceRules': 1 } });
  });

  function rule(count: number, customers: number): RuleRow {
    return { count, customers } as unknown as RuleRow;
  }
});
