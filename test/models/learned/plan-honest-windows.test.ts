import { describe, expect, it } from 'vitest';
import { planHonestWindows } from '../../../src/models/learned/plan-honest-windows.js';
import { longestChurnDays } from '../../../src/pipeline/churn-horizon.js';

describe('planHonestWindows', () => {
  it('trains on windows as long as the horizon when the holdout is at most a third of the span', () => {
    // 360-day calibration, 90-day holdout: inner horizon 90, r = min(1, 240/90, 240/90 − 1) = 1
    expect(planHonestWindows(360, 90)).toEqual({ innerDays: 90, innerLabelDays: 90, outerLabelDays: 90, ratio: 1 });
  });

  it('keeps the holdout label/horizon ratio in the inner split (CDNOW 39 + 39 weeks)', () => {
    const w = planHonestWindows(273, 273);
    expect(w.ratio).toBeCloseTo(2 / 3, 12); // min(1, 182/273, 182/91 − 1)
    expect(w).toMatchObject({ innerDays: 91, innerLabelDays: 61, outerLabelDays: 182 });
    // every training cut-off leaves a third of the span as history
    expect(273 - w.outerLabelDays).toBeGreaterThanOrEqual(91);
    expect(273 - w.innerDays - w.innerLabelDays).toBeGreaterThanOrEqual(91);
  });

  it('shortens the labels when the holdout is longer than the calibration window', () => {
    // 300 days in, 600 out: inner 100; r = min(1, 200/600, 200/100 − 1) = 1/3
    expect(planHonestWindows(300, 600)).toEqual({ innerDays: 100, innerLabelDays: 33, outerLabelDays: 200, ratio: 1 / 3 });
  });

  it('rounds no label into the first third: the label window is the churn horizon where both are the longest the history holds', () => {
    // 274 days: ⅔ = 182.67; round() made the label 183 days, a day into the first third, while the churn horizon is
    // ⌊⅔·274⌋ = 182, so the churn classifier could not reuse the label's snapshot and built one more
    const w = planHonestWindows(274, 300);
    expect(w).toMatchObject({ innerDays: 91, outerLabelDays: 182 });
    expect(longestChurnDays({ calibrationDays: 274, holdoutDays: 300 })).toBe(182);
  });

  it('leaves the first third of every span as history, for every span and holdout', () => {
    for (let span = 42; span <= 900; span += 1) {
      for (const holdout of [14, 30, 61, 90, 91, 120, 181, 182, 183, 273, 365, 400, 730]) {
        const w = planHonestWindows(span, holdout);
        const history = Math.floor((2 * span) / 3);
        expect(w.outerLabelDays, `span ${span}, holdout ${holdout}`).toBeLessThanOrEqual(Math.max(1, history));
        expect(w.innerDays + w.innerLabelDays, `span ${span}, holdout ${holdout}`).toBeLessThanOrEqual(Math.max(w.innerDays + 1, history));
        const longest = longestChurnDays({ calibrationDays: span, holdoutDays: holdout });
        // the default churn horizon is the outer label whenever the labels are as long as the history allows
        if (holdout > history) expect(w.outerLabelDays, `span ${span}, holdout ${holdout}`).toBe(longest);
      }
    }
  });
});
