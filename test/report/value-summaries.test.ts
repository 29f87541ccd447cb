import { describe, expect, it } from 'vitest';
import { computeValueConcentration } from '../../src/report/value-concentration.js';
import { computeValueHistogram } from '../../src/report/value-histogram.js';
import { computeValueQuadrant } from '../../src/report/value-quadrant.js';
import { fixtureCustomers } from './report-fixture.js';

const close = (actual: number, expected: number, relative = 1e-12) =>
  expect(Math.abs(actual - expected), `expected ${expected}, got ${actual}`).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));

describe('computeValueHistogram', () => {
  it('puts values into 1-2-5 log bands, upper edge inclusive, with a ≤ 0 band', () => {
    const h = computeValueHistogram([0, 1.5, 3, 30, 2, -4]);
    expect(h.labels).toEqual(['≤ 0', '1–2', '2–5', '5–10', '10–20', '20–50']);
    expect(h.customers).toEqual([2, 2, 1, 0, 0, 1]);
    expect(h.total).toBe(6);
    // shares of the positive total 36.5; the ≤ 0 band carries its (negative) value
    close(h.valueShare[1]!, 3.5 / 36.5);
    close(h.valueShare[5]!, 30 / 36.5);
    close(h.valueShare[0]!, -4 / 36.5);
  });

  it('starts at the 1-2-5 number below the smallest value and ends at the first edge above the largest', () => {
    const h = computeValueHistogram([0.37, 7, 10, 2400]);
    expect(h.lower[0]).toBeCloseTo(0.2, 12);
    expect(h.upper[h.upper.length - 1]).toBe(5000);
    expect(h.labels[0]).toBe('0.2–0.5');
    expect(h.customers.reduce((a, b) => a + b, 0)).toBe(4);
    expect(h.labels).not.toContain('≤ 0');
  });

  it('caps the number of bands by merging the lowest into the first, losing no customer', () => {
    const values = [0.001, 0.01, 0.1, 1, 10, 100, 1000, 1e4, 1e5, 1e6];
    const h = computeValueHistogram(values, 5);
    expect(h.labels.length).toBe(5);
    expect(h.customers.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(h.upper[4]).toBe(1e6);
  });

  it('skips non-finite values and handles no data', () => {
    expect(computeValueHistogram([NaN, Infinity, 5]).total).toBe(1);
    const empty = computeValueHistogram([]);
    expect(empty).toEqual({ labels: [], lower: [], upper: [], customers: [], valueShare: [], total: 0 });
  });
});

describe('computeValueConcentration', () => {
  it('gives the value share of the top ceil(x·n) customers', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1); // total 55
    const c = computeValueConcentration(values);
    const top = (x: number) => c.top.find((t) => t.customerShare === x)!.valueShare;
    close(top(0.2), 19 / 55); // 10 + 9
    close(top(0.01), 10 / 55); // ceil(0.1) = 1 customer
    close(top(0.5), 40 / 55);
    expect(c.customerShare[0]).toBe(0);
    expect(c.valueShare[0]).toBe(0);
    close(c.valueShare[c.valueShare.length - 1]!, 1);
    expect(c.customerShare.length).toBe(201);
  });

  it('Gini: 0 for equal customers, (n−1)/n when one has everything', () => {
    close(computeValueConcentration([5, 5, 5, 5]).gini, 0);
    close(computeValueConcentration([0, 0, 0, 10]).gini, 0.75);
    // negatives are clipped for Gini, kept for the curve: the top third holds 100% of the net total 10
    const withReturns = computeValueConcentration([-5, 10, 5]);
    close(withReturns.gini, computeValueConcentration([0, 10, 5]).gini);
    close(withReturns.top.find((t) => t.customerShare === 0.2)!.valueShare, 1);
    expect(Number.isNaN(computeValueConcentration([]).gini)).toBe(true);
  });

  it('matches the headline top-20% share on 100 customers', () => {
    const { totalSpend } = fixtureCustomers(100);
    const sorted = Array.from(totalSpend).sort((a, b) => b - a);
    const expected = sorted.slice(0, 20).reduce((a, b) => a + b, 0) / sorted.reduce((a, b) => a + b, 0);
    close(computeValueConcentration(totalSpend).top.find((t) => t.customerShare === 0.2)!.valueShare, expected, 1e-12);
  });
});

describe('computeValueQuadrant', () => {
  it('splits at the medians (a value equal to the median is low) and counts every customer', () => {
    const q = computeValueQuadrant([1, 2, 3, 4, 5], [5, 1, 3, 4, 2]);
    expect(q.historicThreshold).toBe(3);
    expect(q.predictedThreshold).toBe(3);
    const count = (key: string) => q.quadrants.find((c) => c.key === key)!.customers;
    // (1,5) rising, (2,1) low, (3,3) low, (4,4) stars, (5,2) fading
    expect([count('stars'), count('rising'), count('fading'), count('low')]).toEqual([1, 1, 1, 2]);
    expect(q.quadrants.find((c) => c.key === 'low')!.historicValue).toBe(5);
    expect(q.sampled).toBe(5);
  });

  it('draws a reproducible sample of at most maxPoints, leaving out points a log axis cannot show', () => {
    const c = fixtureCustomers(20_000);
    const a = computeValueQuadrant(c.historicValue, c.predictedValue, 5000, 3);
    const b = computeValueQuadrant(c.historicValue, c.predictedValue, 5000, 3);
    const other = computeValueQuadrant(c.historicValue, c.predictedValue, 5000, 4);
    expect(a.sampled).toBe(5000);
    expect(a.quadrants.reduce((s, q) => s + (q.customers ?? 0), 0)).toBe(20_000); // no suppression without minGroupSize
    const drawn = a.quadrants.reduce((s, q) => s + q.points.length, 0);
    expect(drawn + a.notDrawable).toBe(5000);
    expect(a.notDrawable).toBeGreaterThan(0); // the fixture has ~3% customers with value ≤ 0
    expect(a.quadrants.every((q) => q.points.every(([x, y]) => x > 0 && y > 0))).toBe(true);
    expect(b).toEqual(a);
    expect(other.quadrants[0]!.points).not.toEqual(a.quadrants[0]!.points);
    // the sample is representative: per quadrant, the share of drawn points is within 2 points of the share among drawable customers
    const keyOf = (x: number, y: number) => (x > a.historicThreshold ? (y > a.predictedThreshold ? 'stars' : 'fading') : y > a.predictedThreshold ? 'rising' : 'low');
    const drawable = new Map<string, number>();
    let drawableTotal = 0;
    for (let i = 0; i < 20_000; i++) {
      if (c.historicValue[i]! <= 0 || c.predictedValue[i]! <= 0) continue;
      const key = keyOf(c.historicValue[i]!, c.predictedValue[i]!);
      drawable.set(key, (drawable.get(key) ?? 0) + 1);
      drawableTotal++;
    }
    for (const q of a.quadrants) {
      const sampledShare = q.points.length / drawn;
      const populationShare = (drawable.get(q.key) ?? 0) / drawableTotal;
      expect(Math.abs(sampledShare - populationShare), `${q.key}: sampled ${sampledShare}, population ${populationShare}`).toBeLessThan(0.02);
    }
  });
});
