/**
 * The learned stage's churn line. Regression: a new-user trial's daily shop (nobody churns) printed
 * "churn in 121 days: AUC NaN (1 − P(alive) of MBG/CNBD-9 NaN)".
 */
import { describe, expect, it } from 'vitest';
import { churnBelowBaselineWarning } from '../../src/pipeline/stages/learned-stage.js';
import { describeChurnAuc } from '../../src/pipeline/describe-churn.js';

const scores = (auc: number, baseRate: number) => ({ auc, baseRate }) as never;

describe('describeChurnAuc', () => {
  it('prints both AUCs to three decimals', () => {
    expect(describeChurnAuc({ learned: scores(0.7664, 0.75), btydOneMinusPAlive: scores(0.6899, 0.75), pAliveModel: 'MBG/NBD' })).toBe('AUC 0.766 (1 − P(alive) of MBG/NBD 0.690)');
  });

  it('says why AUC is undefined when nobody (or everybody) churned, instead of NaN', () => {
    expect(describeChurnAuc({ learned: scores(NaN, 0), btydOneMinusPAlive: scores(NaN, 0), pAliveModel: 'MBG/CNBD-9' })).toBe('AUC n/a (1 − P(alive) of MBG/CNBD-9 n/a): nobody churned in the validation window (base rate 0.0%), so AUC is undefined');
    expect(describeChurnAuc({ learned: scores(NaN, 1), btydOneMinusPAlive: scores(NaN, 1), pAliveModel: 'BG/NBD' })).toMatch(/: everybody churned in the validation window \(base rate 100\.0%\)/);
  });
});

// Regression (a report trial): on a 60-customer shop the learned churn model ranked the validation window no better
// than chance (AUC 0.5) against 1 − P(alive)'s 0.689, and its scores filled customers.csv's churn columns without a word.
// A later trial (AUC 0.696 against 0.755): the warning did not say why the weaker score was written all the same.
describe('churnBelowBaselineWarning', () => {
  it('warns when the learned churn model ranked the validation window worse than 1 − P(alive), names the window, and says why it is written all the same', () => {
    expect(churnBelowBaselineWarning({ learned: scores(0.696, 0.6), btydOneMinusPAlive: scores(0.7551, 0.6), pAliveModel: 'BG/NBD', horizonDays: 70 }, '2023-09-30')).toBe(
      "customers.csv's churn_probability and churn_risk_band come from the learned churn model, which ranked the validation window's customers (2023-10-01 … 2023-12-09) worse than 1 − P(alive) of BG/NBD (AUC 0.696 against 0.755); " +
        'they are still written: that window lies in the holdout the value models are chosen or checked on, so a choice made there could not be checked, and 1 − P(alive) is the probability that a customer has stopped for good, where the columns (and their risk bands at 0.6 and 0.3) are the probability of no purchase in the next 70 days; ' +
        'to rank customers by churn risk on this data, sort by p_alive (lowest first)',
    );
  });

  it('says nothing when it ranked at least as well, or when an AUC is undefined', () => {
    expect(churnBelowBaselineWarning({ learned: scores(0.7664, 0.75), btydOneMinusPAlive: scores(0.6899, 0.75), pAliveModel: 'MBG/NBD', horizonDays: 70 })).toBeNull();
    expect(churnBelowBaselineWarning({ learned: scores(NaN, 0), btydOneMinusPAlive: scores(NaN, 0), pAliveModel: 'BG/NBD', horizonDays: 70 })).toBeNull();
  });
});
