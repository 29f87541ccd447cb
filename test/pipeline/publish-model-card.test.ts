import { describe, expect, it } from 'vitest';
import type { ValueModelCard } from '../../src/pipeline/value-step.js';
import { publishModelCard } from '../../src/pipeline/publish-model-card.js';

const S = 'small-group';
const C = 'complementary';

describe('publishModelCard', () => {
  const card = (actual: number[]): ValueModelCard => {
    const labels = actual.map((_, i) => (i === actual.length - 1 ? `${i}+` : String(i)));
    return {
      diagnostics: {
        calibrationHistogram: { labels, actual, expected: actual.map((a) => a + 0.5) },
        conditionalExpectation: { labels, customers: actual, actual: actual.map((_, i) => i / 10), expected: actual.map((_, i) => i / 8) },
        tracking: { periodLabels: [], periodEnds: [], actualIncremental: [], expectedIncremental: [], actualCumulative: [], expectedCumulative: [], calibrationEndIndex: 0 },
        frequencyRecency: { T: 1, frequency: [], recency: [], probabilityAlive: [], expectedPurchases: [], horizon: 1 },
      },
    } as unknown as ValueModelCard;
  };

  it('two small tail bins cover k together: no partner; the same bins go in the conditional expectation; the model’s expected counts stay', () => {
    const out = publishModelCard(card([1411, 439, 214, 100, 62, 38, 3, 2]), 5);
    const h = out.diagnostics.calibrationHistogram;
    expect(h.actual).toEqual([1411, 439, 214, 100, 62, 38, null, null]);
    expect(h.suppression).toEqual([null, null, null, null, null, null, S, S]);
    expect(h.expected).toEqual([1411.5, 439.5, 214.5, 100.5, 62.5, 38.5, 3.5, 2.5]);
    const ce = out.diagnostics.conditionalExpectation;
    expect(ce.customers).toEqual([1411, 439, 214, 100, 62, 38, null, null]);
    expect(ce.actual).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, null, null]);
    expect(ce.expected.slice(6)).toEqual([null, null]);
  });

  it('one small bin takes the smallest other bin with it (the bins add up to the calibration customers)', () => {
    const out = publishModelCard(card([100, 50, 3, 40]), 5);
    expect(out.diagnostics.calibrationHistogram.actual).toEqual([100, 50, null, null]);
    expect(out.diagnostics.calibrationHistogram.suppression).toEqual([null, null, S, C]);
  });
});
