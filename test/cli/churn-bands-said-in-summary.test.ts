/**
 * The analyze summary says how churn_risk_band is cut. Found in session 31 (data-scientist QA): the bands are ranks
 * (the top 20% high, the next 30% medium), so "low" held churn probabilities up to 0.88 on CDNOW, and neither the
 * summary nor customers.csv said so.
 */
import { describe, expect, it } from 'vitest';
import { describeChurnBands } from '../../src/cli/commands/analyze-command.js';

const churn = (bands: { high: number; medium: number }, scoresSkipped?: string) => ({ bands: { highShare: 0.2, mediumShare: 0.3, ...bands }, ...(scoresSkipped ? { scoresSkipped } : {}) }) as never;

describe('the churn bands line of the analyze summary', () => {
  it('names the bands as ranks with this run’s cut-offs', () => {
    expect(describeChurnBands(churn({ high: 0.9123, medium: 0.8049 }))).toEqual([
      '             churn_risk_band by rank, ties kept together: high the riskiest 20% (probability ≥ 0.912), medium the next 30% (≥ 0.804), low the other 50%',
    ]);
    // a top tie of more than half the customers leaves medium empty
    expect(describeChurnBands(churn({ high: 0.5, medium: Number.NaN }))[0]).toContain('medium the next 30% (none: the top tie took them), low the other 50%');
  });

  it('says nothing when no customer was scored', () => {
    expect(describeChurnBands(churn({ high: Number.NaN, medium: Number.NaN }))).toEqual([]);
    expect(describeChurnBands(churn({ high: 0.9, medium: 0.8 }, 'no churners'))).toEqual([]);
  });
});
