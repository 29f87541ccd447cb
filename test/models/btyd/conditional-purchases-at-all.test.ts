import { describe, expect, it } from 'vitest';
import { PURCHASE_MODELS, PURCHASE_MODEL_NAMES } from '../../../src/models/btyd/purchase-models.js';
import { compressRfm } from '../../../src/models/compress-rfm.js';
import { createClvSchedule, predictClvAll } from '../../../src/models/clv.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { loadCdnowSummary } from '../cdnow-fixture.js';
import { oneTimeBuyersBesideStayers } from '../mbgnbd/one-time-buyers-shop.js';

/**
 * Guards the value step's byte-identical speed-up: `conditionalPurchasesAtAll` computes each row's P(alive) once for
 * all horizons (the CLV schedule's 12 step ends, the 30/90/365-day columns, every parameter draw of the CLV intervals)
 * instead of once per horizon. customers.csv and run.json must not move by a bit, so every value must be exactly
 * (Object.is) the one `conditionalPurchasesAll` gives at that horizon — including NaN rows, t = 0, t = ∞ and a fit at a
 * limit (its closed forms); BG/NBD and MBG/NBD also evaluate their 2F1 factor once per distinct (x, T) pair.
 */
const TIMES = [0, 30 / 7, 90 / 7, 365 / 7, 52.17857, 1e-9, Infinity];

function withInvalidRows(data: RfmData): RfmData {
  // a row with t_x > T and one with a fractional x: NaN from every model
  const cat = (a: Float64Array, ...extra: number[]) => Float64Array.from([...a, ...extra]);
  return { frequency: cat(data.frequency, 2, 1.5), recency: cat(data.recency, 40, 3), T: cat(data.T, 30, 20), weight: cat(data.weight, 1, 1) };
}

function expectSameBits(at: readonly Float64Array[], one: (t: number) => Float64Array): void {
  expect(at).toHaveLength(TIMES.length);
  TIMES.forEach((t, k) => {
    const want = one(t);
    const got = at[k]!;
    expect(got.length).toBe(want.length);
    const differing = [];
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) differing.push({ t, i, got: got[i], want: want[i] });
    expect(differing).toEqual([]);
  });
}

describe('conditionalPurchasesAtAll gives conditionalPurchasesAll’s values bit for bit', () => {
  const cdnow = withInvalidRows(compressRfm(loadCdnowSummary()).tuples);

  it.each(PURCHASE_MODEL_NAMES)('%s fitted on CDNOW (interior fit), and at parameters alone', (name) => {
    const model = PURCHASE_MODELS[name];
    const fitted = model.fit(compressRfm(loadCdnowSummary()).tuples);
    expect(fitted.fit.boundary).toBeUndefined();
    expectSameBits(model.conditionalPurchasesAtAll(fitted, TIMES, cdnow), (t) => model.conditionalPurchasesAll(fitted, t, cdnow));
    const some = cdnow.frequency.filter((x) => x > 0).length;
    expect(some).toBeGreaterThan(100); // repeat buyers: P(alive) below 1, so the shared factor matters
    // BG/NBD and MBG/NBD share their 2F1 factor across the tuples of one (x, T) pair: CDNOW's tuples hold many such
    const pairs = new Set(Array.from(cdnow.frequency, (x, i) => `${x}|${cdnow.T[i]}`)).size;
    expect(pairs).toBeLessThan(0.8 * cdnow.frequency.length);
    // invalid parameters: NaN everywhere, as before
    const bad = { params: { ...fitted.params, r: -1 } };
    expectSameBits(model.conditionalPurchasesAtAll(bad, TIMES, cdnow), (t) => model.conditionalPurchasesAll(bad, t, cdnow));
    expect(Number.isNaN(model.conditionalPurchasesAtAll(bad, [1], cdnow)[0]![0])).toBe(true);
  });

  it.each(['paretonbd', 'mbgnbd'] as const)('%s at its one-time-buyers limit (closed forms of the zero-inflated NBD)', (name) => {
    const data = oneTimeBuyersBesideStayers(3, 0.2);
    const model = PURCHASE_MODELS[name];
    const fitted = model.fit(data);
    expect(fitted.fit.boundary?.limitModel).toBe('zero-inflated NBD');
    const tuples = compressRfm(data).tuples;
    expectSameBits(model.conditionalPurchasesAtAll(fitted, TIMES, tuples), (t) => model.conditionalPurchasesAll(fitted, t, tuples));
  });

  it('predictClvAll with expectedPurchasesAtAll equals it with expectedPurchasesAll (Pareto/NBD on CDNOW, 12 monthly steps, 10% a year)', () => {
    const model = PURCHASE_MODELS.paretonbd;
    const tuples = compressRfm(loadCdnowSummary()).tuples;
    const fitted = model.fit(tuples);
    const schedule = { horizon: 52.17857, timeUnit: 'week' as const, discountRatePerYear: 0.1 };
    expect(createClvSchedule(schedule).times).toHaveLength(12);
    const perStep = predictClvAll({ ...schedule, expectedPurchasesAll: (t) => model.conditionalPurchasesAll(fitted, t, tuples), spendPerPurchase: 2 });
    const atOnce = predictClvAll({ ...schedule, expectedPurchasesAtAll: (times) => model.conditionalPurchasesAtAll(fitted, times, tuples), spendPerPurchase: 2 });
    expect(Array.from(atOnce)).toEqual(Array.from(perStep));
    expect(perStep[0]).toBeGreaterThan(0);
  });
});
