/**
 * Regression (a data-scientist QA pass): the churn risk bands cut the probability at fixed 0.6 and 0.3, so on a shop
 * where 78% churn nearly every customer was "high" and the band said nothing. The bands are now ranks within the run:
 * high = the riskiest 20% of customers, medium = the next 30%, low = the other half (ties share a band: by where the tie starts, churn-risk-band-top-tie-is-high.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { churnRiskBand, churnRiskBands } from '../../src/models/learned/churn-classifier.js';

const count = (bands: readonly (string | null)[], band: string) => bands.filter((b) => b === band).length;

describe('churnRiskBands', () => {
  it('bands 100 customers whose probabilities are all above 0.6 as 20 high, 30 medium and 50 low, riskiest first', () => {
    const probability = Float64Array.from({ length: 100 }, (_, i) => 0.6 + (0.39 * i) / 99);
    const { bands, cutoffs } = churnRiskBands(probability);
    expect([count(bands, 'high'), count(bands, 'medium'), count(bands, 'low')]).toEqual([20, 30, 50]);
    expect(bands[99]).toBe('high');
    expect(bands[0]).toBe('low');
    // the lowest probability in each band as customers.csv prints it (6 decimals): 0.6 + 0.39 · 80/99 = 0.91515151…
    expect(cutoffs.high).toBe(0.915152);
    expect(cutoffs.medium).toBe(0.79697);
  });

  it('gives tied probabilities one band: every customer "medium" when all scores are equal (they rank nobody)', () => {
    const { bands } = churnRiskBands(new Float64Array(60).fill(0.84));
    expect(count(bands, 'medium')).toBe(60);
  });

  it("churnRiskBand of a probability alone (a library caller's one-argument call) bands by the fixed 0.6 / 0.3, as before bands followed the data", () => {
    expect([0.7, 0.6, 0.45, 0.1, NaN].map((p) => churnRiskBand(p))).toEqual(['high', 'high', 'medium', 'low', null]);
  });

  it('leaves a customer without a probability unbanded (null)', () => {
    const { bands } = churnRiskBands(Float64Array.of(0.9, NaN, 0.1, 0.5, 0.3));
    expect(bands[1]).toBeNull();
    expect(bands[0]).toBe('high');
    expect(bands[2]).toBe('low');
  });
});

describe('the report names the bands by rank', () => {
  it('says which share each band holds and from which probability, not fixed 0.6 and 0.3', async () => {
    const { describeRiskBands } = await import('../../src/core/describe-risk-bands.js');
    expect(describeRiskBands({ highShare: 0.2, mediumShare: 0.3, high: 0.9123, medium: 0.84 })).toBe('by rank, ties kept together: high the riskiest 20% (probability ≥ 0.912), medium the next 30% (≥ 0.840), low the other 50%');
  });

  it('rounds the cut-offs down, so no customer in a band sits below the figure printed', async () => {
    const { describeRiskBands } = await import('../../src/core/describe-risk-bands.js');
    // rounded to nearest, 0.9127 read "≥ 0.913" above a customer banded high at 0.9127
    expect(describeRiskBands({ highShare: 0.2, mediumShare: 0.3, high: 0.9127, medium: 0.8049 })).toContain('high the riskiest 20% (probability ≥ 0.912), medium the next 30% (≥ 0.804)');
  });

  it('the report and the analyze summary say the bands in the same words', async () => {
    const { describeRiskBands } = await import('../../src/core/describe-risk-bands.js');
    const { describeChurnBands } = await import('../../src/cli/commands/analyze-command.js');
    const bands = { highShare: 0.2, mediumShare: 0.3, high: 0.9127, medium: 0.8049 };
    expect(describeChurnBands({ bands } as never)[0]).toContain(describeRiskBands(bands)!);
  });
});
