import { describe, expect, it } from 'vitest';
import { planHonestWindows } from '../../../src/models/learned/plan-honest-windows.js';

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
    expect(273 - w.innerDays - w.innerLabelDays).toBeGreaterThanOrEqual(91 - 1);
  });

  it('shortens the labels when the holdout is longer than the calibration window', () => {
    // 300 days in, 600 out: inner 100; r = min(1, 200/600, 200/100 − 1) = 1/3
    expect(planHonestWindows(300, 600)).toEqual({ innerDays: 100, innerLabelDays: 33, outerLabelDays: 200, ratio: 1 / 3 });
  });
});
