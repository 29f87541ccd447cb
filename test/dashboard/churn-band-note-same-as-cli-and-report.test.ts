/**
 * The churn risk bands are said in three places — the analyze summary (cli/commands/analyze-command.ts
 * describeChurnBands), the report's churn section, and the dashboard's note beside a customer's churn probability —
 * and must say the same cut-offs. The summary and the report round each cut-off down (core/describe-risk-bands.ts:
 * every customer in a band is at or above the figure printed); the dashboard printed it rounded to nearest as a
 * percent, so a run whose lowest high-band probability is 0.9127 read "≥ 0.912" in the summary and the report and
 * "high from 91.3%" on the dashboard — above that customer, who is banded high — and named no shares.
 */
import { describe, expect, it } from 'vitest';
import { churnBandNote } from '../../web/src/churn-view.js';
import { describeChurnBands } from '../../src/cli/commands/analyze-command.js';
import { describeRiskBands } from '../../src/core/describe-risk-bands.js';

// cut-offs where rounding to nearest and rounding down differ (0.9127: 0.913 / 91.3% vs 0.912; 0.8049: 80.5% vs 0.804)
const bands = { high: 0.9127, medium: 0.8049, highShare: 0.2, mediumShare: 0.3 };
const words = 'by rank, ties kept together: high the riskiest 20% (probability ≥ 0.912), medium the next 30% (≥ 0.804), low the other 50%';

describe('the dashboard’s churn band note says the bands as the CLI and the report do', () => {
  it('the same words and the same cut-offs, rounded down, as the summary line and the report (describeRiskBands)', () => {
    expect(describeRiskBands(bands)).toBe(words);
    expect(describeChurnBands({ bands } as unknown as Parameters<typeof describeChurnBands>[0])).toEqual([`             churn_risk_band ${words}`]);
    expect(churnBandNote('high', bands)).toBe(`band high: ${words}`);
  });

  it('no cut-off printed above the lowest probability in its band', () => {
    const note = churnBandNote('high', bands);
    expect(note).not.toContain('91.3%');
    expect(note).not.toContain('0.913');
    expect(note).not.toContain('80.5%');
  });
});
