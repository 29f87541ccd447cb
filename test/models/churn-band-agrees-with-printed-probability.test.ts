/**
 * A user trial (session 40): customers.csv prints churn_probability with 6 decimals, but the risk bands were cut on
 * the probabilities unrounded: two customers printed alike (0.7000004 and 0.6999996 both print 0.700000) could sit in
 * different bands, and a band's cut-off could be a value no line printed. The bands are now taken from the probability
 * as printed (`printed`, which customer_churn stores and customers.csv writes): customers printed alike share a band.
 */
import { describe, expect, it } from 'vitest';
import { CHURN_PROBABILITY_DECIMALS } from '../../src/core/describe-risk-bands.js';
import { churnRiskBands } from '../../src/models/learned/churn-classifier.js';

describe('churn risk bands follow the probability as customers.csv prints it', () => {
  it('two probabilities printed alike at the high cut share a band, and the values kept are those printed', () => {
    // ten customers: the second and third differ only past the sixth decimal, at the high band's 20% edge
    const probability = Float64Array.from([0.9, 0.7000004, 0.6999996, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]);
    expect(CHURN_PROBABILITY_DECIMALS).toBe(6);
    expect([probability[1]!.toFixed(6), probability[2]!.toFixed(6)]).toEqual(['0.700000', '0.700000']);
    const { bands, cutoffs, printed } = churnRiskBands(probability);
    expect(bands.slice(0, 6)).toEqual(['high', 'medium', 'medium', 'medium', 'medium', 'low']);
    expect([...printed]).toEqual([0.9, 0.7, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]);
    expect(cutoffs).toEqual({ high: 0.9, medium: 0.5 });
  });

  it('a value half a millionth below the threshold prints as the threshold, and is banded as that printed value', () => {
    // 0.6999995 prints 0.700000 (round half up, as DuckDB's round does): banded with the 0.7 tied to it
    const probability = Float64Array.from([0.95, 0.9, 0.8, 0.7, 0.6999995, 0.5, 0.4, 0.3, 0.2, 0.1]);
    const { bands, printed } = churnRiskBands(probability);
    expect(printed[4]).toBe(0.7);
    expect(bands[3]).toBe(bands[4]);
  });
});
