/**
 * The prospects' propensity model on a synthetic shop (3,000 buyers, seed 8), scored as of 2022-09-07 — within the
 * year the buyers are acquired in, so that some people known then buy later — and checked on what happened after:
 * which of the prospects scored then made a first purchase within the model's horizon.
 *
 * Regression: the generator signed every buyer up minutes before the first purchase, so no one known at a training
 * cutoff ever converted and every prospect got the base rate (run warning "0 bought within 365 days"). Now buyers
 * sign up days to months ahead (signupAtCheckoutShare, signupLeadDays) and browse browseRatio times as often before
 * buying as never-buyers do: the model is fitted, and ranks the prospects of the as-of date well ahead of chance.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildEventSessions } from '../../src/events/build-event-sessions.js';
import { scoreProspects, type ProspectScores } from '../../src/events/score-prospects.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const AS_OF = '2022-09-07';

/** The area under the ROC curve of `scores` for the labels (Mann–Whitney, ties counted half). */
function auc(pairs: readonly { score: number; label: boolean }[]): number {
  const sorted = [...pairs].sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.label) rankSumPositive += rank;
    i = j;
  }
  const positives = pairs.filter((p) => p.label).length;
  const negatives = pairs.length - positives;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

describe('prospect propensity on a synthetic shop, scored as of 2022-09-07 and checked on the months after', () => {
  let warehouse: Warehouse;
  let scores: ProspectScores;
  let outcomes: { score: number; label: boolean }[];
  beforeAll(async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 3000, seed: 8 });
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, ['transactions.csv', 'customers.csv', 'events.csv'].map((f) => join(dir, f)), { now: new Date('2030-01-01T00:00:00Z') });
    await buildEventSessions(warehouse, { asOf: AS_OF });
    scores = await scoreProspects(warehouse, { asOf: AS_OF });
    const rows = await warehouse.query(`
      SELECT p.conversion_propensity AS score, b.first_ts IS NOT NULL AS converted FROM customer_prospects p
      LEFT JOIN (SELECT customer_id, min(ts) AS first_ts FROM transactions WHERE NOT is_return GROUP BY customer_id) b
        ON b.customer_id = p.customer_id AND b.first_ts <= TIMESTAMP '${addDays(AS_OF, scores.horizonDays)} 23:59:59'`);
    outcomes = rows.map((r) => ({ score: Number(r.score), label: r.converted === true }));
  }, 300_000);
  afterAll(() => warehouse?.close());

  it('learns from earlier prospects who signed up and then bought: a fitted model, not the base rate', () => {
    expect(scores.model).toBe('logistic regression');
    expect(scores.conversions).toBeGreaterThanOrEqual(100);
    expect(scores.trainingRows - scores.conversions).toBeGreaterThanOrEqual(100);
    expect(scores.separatedLevels).toEqual([]);
    expect(new Set(outcomes.map((o) => o.score)).size).toBeGreaterThan(outcomes.length / 2);
  });

  it('ranks the prospects of the as-of date by who then bought within the horizon far better than chance', () => {
    const converted = outcomes.filter((o) => o.label).length;
    expect(outcomes.length).toBeGreaterThan(1000);
    expect(converted).toBeGreaterThanOrEqual(50);
    expect(auc(outcomes)).toBeGreaterThan(0.8);
    // the top tenth by propensity converts at three times the rate of all prospects or more
    const top = [...outcomes].sort((a, b) => b.score - a.score).slice(0, Math.floor(outcomes.length / 10));
    expect(top.filter((o) => o.label).length / top.length / (converted / outcomes.length)).toBeGreaterThan(3);
  });
});
