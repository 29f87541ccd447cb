/**
 * Issue 20 item 4: `--time-unit hour` through summarize, fit and validate.
 * One seeded BG/NBD shop (continuous-time purchases at any hour, at most one
 * per customer and day, so that a day and an hour count the same
 * occasions) is summarised by the hour and by the day; the BG/NBD fitted on
 * each must tell the same story over the same horizon in days: rates scale
 * by 24, dropout does not, and the expected purchases of the next 30 days
 * and P(alive) agree. The hourly summary is the finer one: the daily
 * summary rounds each purchase down to its day, the hourly one to its hour.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { predictBgNbdConditionalPurchasesAll, predictBgNbdProbabilityAliveAll, type BgNbdParams } from '../../src/models/bgnbd/bgnbd.js';
import type { RfmData } from '../../src/models/model-types.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const DAY_MS = 86_400_000;
const START_MS = Date.parse('2023-01-01T00:00:00Z');

/** BG/NBD purchases in days (r 0.6, α 8 days, a 0.8, b 2.5), acquired over the first 90 days, one year observed. */
function simulateLog(customers: number, seed: number): string {
  const random = createRandom(seed);
  const lines = ['customer_id,date'];
  for (let i = 0; i < customers; i++) {
    const lambda = random.gamma(0.6, 1 / 8);
    const p = random.beta(0.8, 2.5);
    const days = new Set<number>();
    for (let t = random.uniform() * 90; t < 365; t += random.exponential(lambda)) {
      const day = Math.floor(t);
      if (!days.has(day)) {
        days.add(day);
        lines.push(`c${i},${new Date(START_MS + t * DAY_MS).toISOString().slice(0, 19).replace('T', ' ')}`);
      } else continue; // a second purchase on the same day is left out (and does not count as a purchase for dropout)
      if (random.uniform() < p) break;
    }
  }
  return lines.join('\n') + '\n';
}

function readSummary(path: string): RfmData {
  const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  return {
    frequency: Float64Array.from(rows, (r) => r[1]!),
    recency: Float64Array.from(rows, (r) => r[2]!),
    T: Float64Array.from(rows, (r) => r[3]!),
    weight: new Float64Array(rows.length).fill(1),
  };
}

const sum = (values: Float64Array) => values.reduce((s, v) => s + v, 0);

describe('--time-unit hour agrees with --time-unit day on the same data', () => {
  const dir = scratchDir();
  const log = join(dir, 'orders.csv');
  const fits: Record<'hour' | 'day', { params: BgNbdParams; summary: RfmData }> = {} as never;

  beforeAll(async () => {
    writeFileSync(log, simulateLog(1500, 20_261_202));
    for (const unit of ['hour', 'day'] as const) {
      const out = join(dir, `summary-${unit}.csv`);
      const summarize = await cli(['summarize', log, '--as-of', '2023-12-31', '--time-unit', unit, '--out', out]);
      expect(summarize.code, summarize.stderr).toBe(0);
      const fit = await cli(['fit', out, '--model', 'bgnbd', '--time-unit', unit, '--json']);
      expect(fit.code, fit.stderr).toBe(0);
      const result = JSON.parse(fit.stdout) as { params: BgNbdParams; timeUnit: string; converged?: boolean };
      expect(result.timeUnit).toBe(unit);
      fits[unit] = { params: result.params, summary: readSummary(out) };
    }
  }, 120_000);

  it('summaries: the same occasions; times 24 × longer, within the hour the daily summary rounds away', () => {
    const { hour, day } = { hour: fits.hour.summary, day: fits.day.summary };
    expect(hour.frequency.length).toBe(day.frequency.length);
    expect(Array.from(hour.frequency)).toEqual(Array.from(day.frequency));
    for (let i = 0; i < day.T.length; i++) {
      // T by day: as-of day − first day; by the hour: to 23h of the as-of day from the first purchase's hour
      expect(hour.T[i]! - 24 * day.T[i]!).toBeGreaterThanOrEqual(0);
      expect(hour.T[i]! - 24 * day.T[i]!).toBeLessThanOrEqual(23);
      expect(Math.abs(hour.recency[i]! - 24 * day.recency[i]!)).toBeLessThanOrEqual(23);
    }
  });

  it('fitted parameters: r, a, b the same, α (a time scale) 24 × larger', () => {
    const { hour, day } = { hour: fits.hour.params, day: fits.day.params };
    expect(hour.r / day.r).toBeCloseTo(1, 2);
    expect(hour.alpha / 24 / day.alpha).toBeCloseTo(1, 2);
    expect(hour.a / day.a).toBeCloseTo(1, 1);
    expect(hour.b / day.b).toBeCloseTo(1, 1);
  });

  // measured: 396.1 vs 398.2 expected purchases, Σ P(alive) 851.3 vs 852.4
  it('predictions over the same 30 days agree: expected purchases of the base and mean P(alive) within 1%', () => {
    const expectedHour = sum(predictBgNbdConditionalPurchasesAll(fits.hour.params, 30 * 24, fits.hour.summary));
    const expectedDay = sum(predictBgNbdConditionalPurchasesAll(fits.day.params, 30, fits.day.summary));
    expect(expectedDay).toBeGreaterThan(50);
    expect(Math.abs(expectedHour / expectedDay - 1)).toBeLessThan(0.01);
    const aliveHour = sum(predictBgNbdProbabilityAliveAll(fits.hour.params, fits.hour.summary));
    const aliveDay = sum(predictBgNbdProbabilityAliveAll(fits.day.params, fits.day.summary));
    expect(Math.abs(aliveHour / aliveDay - 1)).toBeLessThan(0.01);
  });

  // measured: BG/NBD predicts 1,400.4 holdout purchases by the hour, 1,410.7 by the day; 1,353 happened
  it('validate --time-unit hour: the same chosen model and holdout prediction as by day', async () => {
    const runs = await Promise.all(
      (['hour', 'day'] as const).map(async (unit) => {
        // --no-learned: the value models' tournament is what is compared; the honest tournament beside it is not looked at
        const run = await cli(['validate', log, '--calibration-end', '2023-09-30', '--holdout-end', '2023-12-31', '--time-unit', unit, '--json', '--no-learned']);
        expect(run.code, run.stderr).toBe(0);
        return JSON.parse(run.stdout) as { timeUnit: string; chosen: string; holdoutDuration: number; comparison: { model: string; holdout: { predictedTotal: number; actualTotal: number } }[] };
      }),
    );
    const [hour, day] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(hour.timeUnit).toBe('hour');
    expect(hour.chosen).toBe(day.chosen);
    expect(hour.holdoutDuration).toBe(92 * 24);
    const bg = (run: typeof hour) => run.comparison.find((c) => c.model === 'bgnbd')!.holdout;
    expect(bg(hour).actualTotal).toBe(bg(day).actualTotal);
    expect(Math.abs(bg(hour).predictedTotal / bg(day).predictedTotal - 1)).toBeLessThan(0.01);
  });
});
