/**
 * Regression (a data-scientist QA pass): on a 60-customer shop the learned churn model gave every customer of the
 * validation window the same score, so every bootstrap resample gave AUC 0.5, and run.json and the report showed a
 * "95% interval" [0.500, 0.500] — a degenerate bootstrap presented as certainty. Such an interval cannot be estimated:
 * it is withheld (NaN, null in run.json) and `aucIntervalSkipped` / `prAucIntervalSkipped` say why.
 */
import { describe, expect, it } from 'vitest';
import { evaluateChurnScores } from '../../src/models/evaluate-churn-scores.js';
import { renderChurnSection } from '../../src/report/sections/churn-section.js';
import { fixtureChurn, fixtureReportData } from '../report/report-fixture.js';

const outcome = (ones: number, zeros: number) => Float64Array.from({ length: ones + zeros }, (_, i) => (i < ones ? 1 : 0));

describe('evaluateChurnScores: a bootstrap interval that cannot be estimated', () => {
  it('withholds the AUC interval when every customer has the same score (every resample gives 0.5) and says so', () => {
    const card = evaluateChurnScores(outcome(40, 20), new Float64Array(60).fill(0.7), { seed: 1 });
    expect(card.auc).toBe(0.5);
    expect(card.aucInterval.every(Number.isNaN)).toBe(true);
    expect(card.aucIntervalSkipped).toBe('every customer got the same score, so every resample gives AUC 0.500: the interval cannot be estimated');
  });

  it('withholds the PR-AUC interval of a constant score too: its PR-AUC is the base rate, which resamples only re-measure', () => {
    // regression (validate on Online Retail, 1 − P(alive) of the NBD limit, every score 0): "PR-AUC 0.412 [0.397, 0.429]"
    const card = evaluateChurnScores(outcome(40, 20), new Float64Array(60).fill(0.7), { seed: 1 });
    expect(card.prAuc).toBeCloseTo(40 / 60, 12);
    expect(card.prAucInterval.every(Number.isNaN)).toBe(true);
    expect(card.prAucIntervalSkipped).toBe('every customer got the same score, so its PR-AUC is the share that churned (0.667), not a ranking: the interval cannot be estimated');
  });

  it('withholds both intervals when fewer than 5 customers churned, or fewer than 5 did not', () => {
    const fewChurners = evaluateChurnScores(outcome(3, 57), Float64Array.from({ length: 60 }, (_, i) => i / 60), { seed: 1 });
    expect(fewChurners.aucInterval.every(Number.isNaN)).toBe(true);
    expect(fewChurners.prAucInterval.every(Number.isNaN)).toBe(true);
    expect(fewChurners.aucIntervalSkipped).toBe('only 3 of the 60 customers churned (5 of each class are needed): the interval cannot be estimated');
    expect(fewChurners.prAucIntervalSkipped).toBe(fewChurners.aucIntervalSkipped);
    const fewStayed = evaluateChurnScores(outcome(58, 2), Float64Array.from({ length: 60 }, (_, i) => i / 60), { seed: 1 });
    expect(fewStayed.aucIntervalSkipped).toBe('only 2 of the 60 customers did not churn (5 of each class are needed): the interval cannot be estimated');
  });

  it('keeps a real interval (low < high) and no reason when both classes are there and the scores vary', () => {
    const scores = Float64Array.from({ length: 60 }, (_, i) => ((i * 37) % 60) / 60);
    const card = evaluateChurnScores(outcome(30, 30), scores, { seed: 1 });
    expect(card.aucInterval[0]).toBeLessThan(card.aucInterval[1]);
    expect(card.aucIntervalSkipped).toBeUndefined();
    expect(card.prAucIntervalSkipped).toBeUndefined();
  });
});

describe('the report churn table with an interval that cannot be estimated', () => {
  it('shows "interval n/a" and the reason instead of [0.500, 0.500]', () => {
    const learned = fixtureChurn();
    const v = learned.churn!.validation;
    const reason = 'every customer got the same score, so every resample gives AUC 0.500: the interval cannot be estimated';
    const html = renderChurnSection(fixtureReportData(), { ...learned, churn: { ...learned.churn!, validation: { ...v, learned: { ...v.learned, auc: 0.5, aucInterval: [NaN, NaN], aucIntervalSkipped: reason } } } }).html;
    expect(html).not.toContain('0.500 [');
    expect(html).toContain('0.500 (interval n/a)');
    expect(html).toContain(`Learned (gradient-boosted trees) AUC interval: ${reason}.`);
  });
});
