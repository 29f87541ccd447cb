/**
 * Prospects' predicted_clv_12m (conversion propensity × new-customer value) has its parameter-uncertainty interval
 * in customers.csv, as a buyer's has: predicted_clv_12m_low / _high, the 5th / 95th percentiles over draws of the
 * propensity model's parameters and of the new-customer mean (src/events/prospect-value.ts). Before, prospects'
 * low and high were empty.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prospectValueIntervals } from '../../src/events/prospect-value.js';
import { computeHessianFromGradient } from '../../src/math/hessian.js';
import { invertPositiveDefinite } from '../../src/math/normal.js';
import { sigmoid } from '../../src/math/sigmoid.js';
import { regularizedIncompleteBeta } from '../../src/math/special-functions.js';
import { fitLinearModel, linearModelCovariance } from '../../src/models/learned/linear-model.js';
import { analyze } from '../../src/pipeline/analyze.js';
import { scratchDir } from '../helpers/warehouse.js';
import { readCsv } from '../synth/shop-test-helpers.js';

/** A profiles-only shop: `size` profiles signed up over 2022–2023, every other one buying 5–200 days after, one in four again. */
async function prospectIntervals(size: number): Promise<{ clv: number; low: number; high: number }[]> {
  const dir = scratchDir();
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const start = Date.UTC(2022, 0, 1);
  const profiles = ['customer_id,signup_date,acquisition_channel,acquisition_cost'];
  const orders = ['customer_id,order_id,order_date,quantity,unit_price,product_id'];
  for (let i = 0; i < size; i++) {
    const signup = start + ((i * 7919) % 700) * 86_400_000;
    profiles.push(`${1000 + i},${day(signup)},${i % 3 === 0 ? 'email' : 'organic'},${(i % 5).toFixed(2)}`);
    const first = signup + (5 + ((i * 31) % 196)) * 86_400_000;
    // every other one buys, some again (the value models need repeat buyers to fit)
    if (i % 2 === 0) orders.push(`${1000 + i},o${i},${day(first)},1,${10 + (i % 7)},p${i % 9}`);
    for (let k = 1; i % 4 === 0 && k <= (i % 3) + 1; k++) orders.push(`${1000 + i},o${i}-${k},${day(first + k * (20 + ((i * 13) % 90)) * 86_400_000)},1,${12 + (i % 5)},p${(i + k) % 9}`);
  }
  writeFileSync(join(dir, 'customers.csv'), `${profiles.join('\n')}\n`);
  writeFileSync(join(dir, 'orders.csv'), `${orders.join('\n')}\n`);
  await analyze({ files: [join(dir, 'orders.csv')], customerFiles: [join(dir, 'customers.csv')], db: ':memory:', outDir: join(dir, 'out'), asOf: '2023-12-31', skipPatterns: true, skipReport: true, skipChurn: true, regularityCheck: false });
  const run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
  expect(run.prospects.model).toBe('logistic regression');
  const customers = readCsv(join(dir, 'out', 'customers.csv'));
  const at = (name: string) => customers.col(name);
  return customers.rows
    .filter((r) => r[at('stage')] === 'prospect')
    .map((r) => ({ clv: r[at('predicted_clv_12m')]!, low: r[at('predicted_clv_12m_low')]!, high: r[at('predicted_clv_12m_high')]! }))
    .map((r) => {
      expect(r.low, 'predicted_clv_12m_low of a prospect').not.toBe('');
      expect(r.high, 'predicted_clv_12m_high of a prospect').not.toBe('');
      return { clv: Number(r.clv), low: Number(r.low), high: Number(r.high) };
    });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("prospects' predicted_clv_12m interval in customers.csv", () => {
  it('is filled for every prospect, holds the prediction, and narrows with four times the data', async () => {
    const small = await prospectIntervals(400);
    const large = await prospectIntervals(1600);
    expect(small.length).toBeGreaterThanOrEqual(200);
    for (const r of [...small, ...large]) {
      expect(r.low).toBeGreaterThanOrEqual(0);
      expect(r.low).toBeLessThanOrEqual(r.clv);
      expect(r.clv).toBeLessThanOrEqual(r.high);
      expect(r.high).toBeGreaterThan(r.low);
    }
    const width = (rows: typeof small) => median(rows.map((r) => (r.high - r.low) / r.clv));
    // the parameters' standard errors shrink as 1/√n: the relative width about halves with 4× the people
    expect(width(large)).toBeLessThan(0.75 * width(small));
  }, 300_000);
});

describe('prospectValueIntervals', () => {
  /** the q-quantile of Beta(a, b) by bisection of its distribution function: an independent computation */
  const betaQuantile = (q: number, a: number, b: number) => {
    let lo = 0, hi = 1;
    for (let k = 0; k < 100; k++) {
      const mid = (lo + hi) / 2;
      if (regularizedIncompleteBeta(mid, a, b) < q) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };

  it("with the base rate and an exactly known value: the value × the Jeffreys interval of the rate (5 of 200)", () => {
    const { low, high } = prospectValueIntervals({ kind: 'rate', conversions: 5, rows: 200, rowsPerPerson: 1 }, Float64Array.of(5 / 200), [{ mean: 100, buyers: 50, standardError: 0 }], 4000);
    expect(low[0]! / (100 * betaQuantile(0.05, 5.5, 195.5))).toBeCloseTo(1, 1);
    expect(high[0]! / (100 * betaQuantile(0.95, 5.5, 195.5))).toBeCloseTo(1, 1);
  });

  it('counts each person once: 4 rows per person give the interval of a quarter of the rows', () => {
    const persons = prospectValueIntervals({ kind: 'rate', conversions: 40, rows: 800, rowsPerPerson: 4 }, Float64Array.of(0.05), [{ mean: 100, buyers: 50, standardError: 0 }], 4000);
    expect(persons.high[0]! / (100 * betaQuantile(0.95, 10.5, 190.5))).toBeCloseTo(1, 1);
  });

  it('with no conversion the estimate 0 is the lower end; the upper end is positive', () => {
    const { low, high } = prospectValueIntervals({ kind: 'rate', conversions: 0, rows: 50, rowsPerPerson: 1 }, Float64Array.of(0), [{ mean: 100, buyers: 50, standardError: 5 }]);
    expect(low[0]).toBe(0);
    expect(high[0]).toBeGreaterThan(0);
  });

  // the review: N(mean, s²/k) gave 19 buyers at 20 and one at 1,620 (mean 100, standard error 80) a lower end of −0.98
  it('a skewed, uncertain new-customer value: the interval stays positive, the log-normal with the mean and standard error of the mean', () => {
    const { low, high } = prospectValueIntervals({ kind: 'rate', conversions: 5000, rows: 100_000, rowsPerPerson: 1 }, Float64Array.of(0.05), [{ mean: 100, buyers: 20, standardError: 80 }], 4000);
    const s2 = Math.log(1 + 0.64);
    expect(low[0]).toBeGreaterThan(0);
    expect(low[0]! / (0.05 * 100 * Math.exp(-s2 / 2 - 1.6449 * Math.sqrt(s2)))).toBeCloseTo(1, 1);
    expect(high[0]! / (0.05 * 100 * Math.exp(-s2 / 2 + 1.6449 * Math.sqrt(s2)))).toBeCloseTo(1, 1);
  });

  it('is empty when the value rests on fewer than 2 buyers, or there were no training rows', () => {
    const one = prospectValueIntervals({ kind: 'rate', conversions: 3, rows: 50, rowsPerPerson: 1 }, Float64Array.of(0.06), [{ mean: 100, buyers: 1, standardError: Number.NaN }]);
    expect(one.low[0]).toBeNaN();
    expect(prospectValueIntervals({ kind: 'none' }, Float64Array.of(0), [{ mean: 100, buyers: 50, standardError: 5 }]).high[0]).toBeNaN();
  });
});

describe('linearModelCovariance', () => {
  it("is the inverse of the penalised negative log-likelihood's Hessian, as central differences of its gradient give it", () => {
    const n = 300;
    const x1 = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 3 + 2);
    const x2 = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Number.NaN : Math.cos(i * 0.9)));
    const label = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453 % 1 + 1) % 1 < sigmoid(-0.5 + 0.4 * (x1[i]! - 2)) ? 1 : 0);
    const l2 = 0.01;
    const model = fitLinearModel({ columns: [x1, x2], label }, { family: 'logistic', l2 });
    // the total penalised negative log-likelihood in the standardised parameters, written out here
    const z = [x1, x2].map((c, f) => Array.from(c, (v) => (Number.isNaN(v) ? 0 : (v - model.means[f]!) / model.scales[f]!)));
    const gradient = (beta: Float64Array, out: Float64Array) => {
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const eta = beta[0]! + beta[1]! * z[0]![i]! + beta[2]! * z[1]![i]!;
        const d = sigmoid(eta) - label[i]!;
        out[0]! += d;
        out[1]! += d * z[0]![i]!;
        out[2]! += d * z[1]![i]!;
      }
      out[1]! += n * l2 * beta[1]!;
      out[2]! += n * l2 * beta[2]!;
    };
    const expected = invertPositiveDefinite(computeHessianFromGradient(gradient, [model.standardisedIntercept, ...model.standardisedCoefficients]))!;
    const covariance = linearModelCovariance(model, { columns: [x1, x2], label })!;
    for (let a = 0; a < 3; a++) {
      expect(covariance[a]![a]).toBeGreaterThan(0);
      for (let b = 0; b < 3; b++) expect(Math.abs(covariance[a]![b]! - expected[a]![b]!)).toBeLessThan(1e-5 * Math.sqrt(expected[a]![a]! * expected[b]![b]!));
    }
  });
});
