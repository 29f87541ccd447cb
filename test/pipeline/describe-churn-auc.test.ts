/**
 * The learned stage's churn line. Regression: a new-user trial's daily shop (nobody churns) printed
 * "churn in 121 days: AUC NaN (1 − P(alive) of MBG/CNBD-9 NaN)".
 */
import { describe, expect, it } from 'vitest';
import { describeChurnAuc } from '../../src/pipeline/describe-churn.js';

const scores = (auc: number, baseRate: number) => ({ auc, baseRate }) as never;

describe('describeChurnAuc', () => {
  it('prints both AUCs to three decimals', () => {
    expect(describeChurnAuc({ learned: scores(0.7664, 0.75), btydOneMinusPAlive: scores(0.6899, 0.75), pAliveModel: 'MBG/NBD' })).toBe('AUC 0.766 (1 − P(alive) of MBG/NBD 0.690)');
  });

  // a reviewer's finding: BTYD's P(no purchase in N days) was written and chosen on 1 − P(alive)'s AUC, a score ranked differently
  it('names the score the learned model was compared with and, when BTYD is written, its AUC: P(no purchase) of the value model', () => {
    const v = { learned: scores(0.5, 0.6), btydOneMinusPAlive: scores(0.84, 0.6), btydNoPurchase: scores(0.8512, 0.6), pAliveModel: 'Pareto/NBD' };
    expect(describeChurnAuc(v)).toBe('AUC 0.500 (P(no purchase) of Pareto/NBD 0.851)');
  });

  it('says why AUC is undefined when nobody (or everybody) churned, instead of NaN', () => {
    expect(describeChurnAuc({ learned: scores(NaN, 0), btydOneMinusPAlive: scores(NaN, 0), pAliveModel: 'MBG/CNBD-9' })).toBe('AUC n/a (1 − P(alive) of MBG/CNBD-9 n/a): nobody churned in the validation window (base rate 0.0%), so AUC is undefined');
    expect(describeChurnAuc({ learned: scores(NaN, 1), btydOneMinusPAlive: scores(NaN, 1), pAliveModel: 'BG/NBD' })).toMatch(/: everybody churned in the validation window \(base rate 100\.0%\)/);
  });
});

// The learned model ranking the validation window worse than 1 − P(alive) no longer writes its scores with a warning:
// BTYD is written instead (test/pipeline/churn-probability-from-btyd-when-learned-loses.test.ts).
