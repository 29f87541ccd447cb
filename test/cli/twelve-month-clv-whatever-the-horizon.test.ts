/**
 * `analyze --horizon-months h`: customers.csv's predicted_clv_12m (+ _low, _high) is a contract name that scripts,
 * tiers, audiences and campaign evaluation read, so it holds the 12-month CLV whatever h is; a horizon other than 12
 * adds predicted_clv_<h>m (+ _low, _high) right after it, and run.json states both totals. It wrote the 6-month CLV
 * into predicted_clv_12m.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { predictClvAll } from '../../src/models/clv.js';
import { getPurchaseModel } from '../../src/models/model-registry.js';
import type { PurchaseFit, PurchaseModelName } from '../../src/models/btyd/purchase-models.js';
import { valueClvSchedule } from '../../src/pipeline/value-step.js';
import type { TimeUnit } from '../../src/core/time-unit.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const csvRows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((line) => line.split(','));

describe('analyze --horizon-months 6 beside --horizon-months 12 (seeded simulated shop of 500 customers)', () => {
  useFixedKey(11);
  const dir = scratchDir('clvkit-horizon-');
  const run = async (months: number) => {
    const out = join(dir, `h${months}`);
    const result = await cli(['analyze', join(dir, 'shop', 'transactions.csv'), '--horizon-months', String(months), '--skip-report', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const [header, ...rows] = csvRows(join(out, 'customers.csv'));
    return { header: header!, rows, stdout: result.stdout, runJson: JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) };
  };
  let six: Awaited<ReturnType<typeof run>>;
  let twelve: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    await generateShop({ outDir: join(dir, 'shop'), customers: 500, seed: 5, events: false });
    six = await run(6);
    twelve = await run(12);
  }, 120_000);

  it('customers.csv: predicted_clv_6m, _low, _high right after the 12-month columns; a 12-month run has no other horizon', () => {
    const at = six.header.indexOf('predicted_clv_12m');
    expect(six.header.slice(at, at + 7)).toEqual(['predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high', 'predicted_clv_6m', 'predicted_clv_6m_low', 'predicted_clv_6m_high', 'next_order_p50']);
    expect(twelve.header.filter((h) => h.startsWith('predicted_clv_'))).toEqual(['predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high']);
  });

  it('predicted_clv_12m (and its interval) is the same 12-month value in both runs', () => {
    const columns = ['customer_id', 'predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high'];
    const pick = (r: typeof six) => r.rows.map((row) => columns.map((c) => row[r.header.indexOf(c)]).join(','));
    expect(pick(six)).toEqual(pick(twelve));
    expect(six.runJson.valueModel.clv.totalPredicted).toBe(twelve.runJson.valueModel.clv.totalPredicted);
  });

  it("predicted_clv_6m is smaller and is the model's 6-month schedule: the 12-month CLV × D(6 months) / D(12 months)", () => {
    const card = six.runJson.valueModel;
    expect(six.runJson.learned?.scores).toBeUndefined(); // the value model scored the customers: no rewrite to follow
    const model = getPurchaseModel(card.final.model as PurchaseModelName);
    const fit = { params: card.final.params, fit: card.final.fit } as unknown as PurchaseFit;
    const col = (name: string) => six.header.indexOf(name);
    const rows = six.rows.filter((r) => r[col('predicted_clv_12m')] !== '');
    const data = {
      frequency: Float64Array.from(rows, (r) => Number(r[col('frequency')])),
      recency: Float64Array.from(rows, (r) => Number(r[col('recency')])),
      T: Float64Array.from(rows, (r) => Number(r[col('T')])),
      weight: new Float64Array(rows.length).fill(1),
    };
    const discounted = (months: number) =>
      predictClvAll({ ...valueClvSchedule(months, card.clv.discountRatePerYear, card.timeUnit as TimeUnit), expectedPurchasesAtAll: (times) => model.conditionalPurchasesAtAll(fit, times, data), spendPerPurchase: 1 });
    const [d6, d12] = [discounted(6), discounted(12)];
    let checked = 0;
    rows.forEach((r, i) => {
      const clv12 = Number(r[col('predicted_clv_12m')]);
      const clv6 = Number(r[col('predicted_clv_6m')]);
      expect(r[col('predicted_clv_6m')], r[0]).not.toBe('');
      expect(clv6).toBeLessThanOrEqual(clv12);
      if (clv12 > 1) {
        expect(clv6, r[0]).toBeLessThan(clv12);
        expect(clv6, r[0]).toBeCloseTo((clv12 * d6[i]!) / d12[i]!, 2);
        checked++;
      }
      const [low, high] = [Number(r[col('predicted_clv_6m_low')]), Number(r[col('predicted_clv_6m_high')])];
      expect(low).toBeLessThanOrEqual(high);
      expect(high).toBeLessThanOrEqual(Number(r[col('predicted_clv_12m_high')]));
    });
    expect(checked).toBeGreaterThan(100);
  });

  it('run.json: the 12-month total and the 6-month total, each with its months; the terminal states both', () => {
    const clv = six.runJson.valueModel.clv;
    expect(clv.horizonMonths).toBe(6);
    expect(clv.totalPredictedMonths).toBe(12);
    const sum = (name: string) => six.rows.reduce((s, r) => s + Number(r[six.header.indexOf(name)] || 0), 0);
    expect(clv.totalPredicted).toBeCloseTo(sum('predicted_clv_12m'), 0);
    expect(clv.horizonTotalPredicted).toBeCloseTo(sum('predicted_clv_6m'), 0);
    expect(clv.horizonTotalPredicted).toBeLessThan(clv.totalPredicted);
    expect(twelve.runJson.valueModel.clv.horizonTotalPredicted).toBeUndefined();
    expect(six.stdout).toMatch(/predicted  [\d,]+ CLV over 12 months; [\d,]+ over 6 months \(discount/);
  });
});
