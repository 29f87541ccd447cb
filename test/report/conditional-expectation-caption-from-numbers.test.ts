import { describe, expect, it } from 'vitest';
import { conditionalExpectationCaption } from '../../src/report/sections/model-section.js';

// QA (s30 report pass): on a 10-day holdout the caption said "the model follows them (largest gap 398% at 4)"; it
// said the same words whatever the chart showed.
describe('the caption of holdout purchases by calibration frequency says what the numbers show', () => {
  const labels = ['0', '1', '2', '3', '4'];
  it('rising purchases that the model follows within 30%', () => {
    expect(conditionalExpectationCaption(labels, [0.1, 0.3, 0.6, 0.9, 1.2], [0.113, 0.3, 0.62, 0.88, 1.25])).toBe(
      'Out of sample, customers who bought more often before bought more later, and the model follows them (largest gap 13% at 0 repeat purchases)',
    );
  });
  it('a model off by far more: says so, and where', () => {
    expect(conditionalExpectationCaption(labels, [0.01, 0.02, 0.02, 0.03, 0.05], [0.01, 0.02, 0.022, 0.033, 0.249])).toBe(
      'Out of sample, customers who bought more often before bought more later; the model is off by up to 398% at 4 repeat purchases',
    );
  });
  it('purchases that do not rise with past frequency are not said to', () => {
    expect(conditionalExpectationCaption(labels, [0.5, 0.4, null, 0.3, 0.2], [0.5, 0.4, null, 0.3, 0.2])).toBe(
      'Holdout purchases per customer by how often they bought before, actual against the model, and the model follows them (largest gap 0% at 0 repeat purchases)',
    );
  });
});
