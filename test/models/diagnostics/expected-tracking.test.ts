/**
 * Issue 20 item 11: the tracking curve's age convention. With `next-day`
 * the expected cumulative repeat purchases of the CDNOW sample equal R BTYD's
 * walkthrough (`cum.tracking[, 20:25]`, also asserted by lifetimes'
 * test_expected_cumulative_transactions_equals_r_btyd_walktrough); clvkit's
 * default `last-day` sits one day of purchases below it.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../../src/core/calendar-days.js';
import { fitParetoNbd } from '../../../src/models/paretonbd/paretonbd.js';
import { computeExpectedTracking } from '../../../src/models/diagnostics/expected-tracking.js';
import { getPurchaseModel } from '../../../src/models/model-registry.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { loadCdnowSummary } from '../cdnow-fixture.js';

const CALIBRATION_END = dayNumber('1997-09-30');
const START = dayNumber('1997-01-01'); // the first day of the data: BTYD's weeks run from it

/** Each CDNOW sample customer's age at the calibration end, in weeks, exactly (days / 7). */
function firstPurchaseAges(): RfmData {
  const text = gunzipSync(readFileSync(new URL('../../fixtures/cdnow/CDNOW_sample.txt.gz', import.meta.url))).toString('utf8');
  const first = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [, customer, date] = line.trim().split(/\s+/);
    if (!customer || !date) continue;
    const day = dayNumber(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`);
    first.set(customer, Math.min(first.get(customer) ?? Infinity, day));
  }
  const T = Float64Array.from(first.values(), (day) => (CALIBRATION_END - day) / 7);
  return { frequency: new Float64Array(T.length), recency: new Float64Array(T.length), T, weight: new Float64Array(T.length).fill(1) };
}

describe('tracking age convention on the CDNOW sample (Pareto/NBD)', () => {
  const params = fitParetoNbd(loadCdnowSummary()).params;
  const model = getPurchaseModel('paretonbd');
  const ages = firstPurchaseAges();
  // BTYD's week j ends on day START + 7j − 1; relative to the calibration end, in weeks
  const weeks = [19, 20, 21, 22, 23, 24, 25];
  const periodEnds = weeks.map((j) => (START + 7 * j - 1 - CALIBRATION_END) / 7);

  it("the fit is the walkthrough's (r 0.5534, α 10.5802, s 0.6061, β 11.6562)", () => {
    expect(ages.T.length).toBe(2357);
    expect(params.r).toBeCloseTo(0.5534, 3);
    expect(params.alpha).toBeCloseTo(10.5802, 1);
    expect(params.s).toBeCloseTo(0.6061, 3);
    expect(params.beta).toBeCloseTo(11.6562, 1);
  });

  it('next-day: R BTYD cum.tracking weeks 20–25 (1309 … 1674) and inc.tracking (78.31 … 69.93)', () => {
    const next = computeExpectedTracking(model, { params }, ages, periodEnds, { age: 'next-day', unitDays: 7 });
    expect(next.expectedCumulative.slice(1).map(Math.round)).toEqual([1309, 1385, 1460, 1533, 1604, 1674]);
    const incremental = next.expectedIncremental.slice(1);
    [78.31, 76.42, 74.65, 72.98, 71.41, 69.93].forEach((want, k) => expect(Math.abs(incremental[k]! - want), `week ${20 + k}`).toBeLessThan(0.01));
  });

  it('last-day (the default) is one day of expected purchases lower', () => {
    const last = computeExpectedTracking(model, { params }, ages, periodEnds);
    const explicit = computeExpectedTracking(model, { params }, ages, periodEnds, { age: 'last-day', unitDays: 7 });
    expect(explicit.expectedCumulative).toEqual(last.expectedCumulative);
    const next = computeExpectedTracking(model, { params }, ages, periodEnds, { age: 'next-day', unitDays: 7 });
    for (let k = 1; k < weeks.length; k++) {
      const gap = next.expectedCumulative[k]! - last.expectedCumulative[k]!;
      // a day is a seventh of a week's expected repeat purchases (~75 a week here)
      expect(gap).toBeGreaterThan(next.expectedIncremental[k]! / 7 * 0.9);
      expect(gap).toBeLessThan(next.expectedIncremental[k]! / 7 * 1.1);
    }
  });
});

/**
 * Guards the value step's byte-identical speed-up: E[X(age)] is computed once per distinct age τ + T, not once per
 * (τ, T) pair — the sums must be exactly (toEqual on the doubles) those of the loop that called the model for every pair.
 */
describe('expected tracking computes E[X] once per distinct age, with the same sums (MBG/NBD on CDNOW)', () => {
  const model = getPurchaseModel('mbgnbd');
  const fitted = model.fit(loadCdnowSummary());
  const ages = firstPurchaseAges();
  const periodEnds = Array.from({ length: 78 }, (_, j) => (START + 7 * (j + 1) - 1 - CALIBRATION_END) / 7);

  it('every pair-by-pair sum reproduced bit for bit, with one model call per distinct age', () => {
    let calls = 0;
    const counting = { ...model, expectedPurchases: (fit: typeof fitted, t: number) => (calls++, model.expectedPurchases(fit, t)) };
    const tracked = computeExpectedTracking(counting, fitted, ages, periodEnds, { age: 'next-day', unitDays: 7 });
    const byAge = new Map<number, number>();
    for (let i = 0; i < ages.T.length; i++) byAge.set(ages.T[i]!, (byAge.get(ages.T[i]!) ?? 0) + 1);
    const distinct = new Set<number>();
    const naive = periodEnds.map((tau) => {
      let sum = 0;
      for (const [T, count] of byAge) {
        const age = tau + T + 1 / 7;
        if (age > 0) {
          distinct.add(age);
          sum += count * model.expectedPurchases(fitted, age);
        }
      }
      return sum;
    });
    expect(tracked.expectedCumulative).toEqual(naive);
    expect(calls).toBe(distinct.size);
    // the saving: 78 period ends × 84 first-purchase days = 6,552 pairs, 738 distinct ages (the pair loop made a call per pair)
    expect(byAge.size).toBe(84);
    expect(calls).toBe(738);
  });
});
