/**
 * End to end: on a young synthetic shop (75 days, 3,000 customers, seed 11; truth ≈ 117k of 12-month CLV) analyze
 * --learned-tournament splits off a 15-day inner window holding 234 repeat purchases. BG/NBD missed that total by
 * +24.5%, the allowance widened to ±24.5%, and GBT on BTYD (−5.8%) took over the scores with a 12-month CLV of 104,890
 * against BG/NBD's 118,884. Too few purchases to judge a challenger on (choose-honest-winner.ts, MIN_INNER_PURCHASES):
 * the value model's BG/NBD keeps the scores.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('a short inner window with few purchases keeps the BTYD model (75-day shop, 3,000 customers)', () => {
  let run: RunSummary;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-short-inner-window-');
    await generateShop({ outDir: dir, customers: 3000, seed: 11, days: 75 });
    // no churn early warning (skipChurn): the tournament, its choice and the scores it writes are the same without it
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true, skipChurn: true, learnedTournament: true });
  }, 120_000);

  it('the tournament keeps BG/NBD and says the 15-day window’s 234 purchases are too few to judge a challenger', () => {
    const t = run.learned!.tournament!;
    expect(t.windows.innerDays).toBe(15);
    const bgnbd = t.candidates.find((c) => c.name === 'bgnbd')!;
    expect(bgnbd.inner.actualTotal).toBe(234);
    // a learned model has the lower inner MAE, with its total inside BG/NBD's own +24.5% error: the old rule's winner
    const best = [...t.candidates].filter((c) => c.family === 'learned' && Number.isFinite(c.inner.mae)).sort((a, b) => a.inner.mae - b.inner.mae)[0]!;
    expect(best.inner.mae).toBeLessThan(0.99 * bgnbd.inner.mae);
    expect(Math.abs(best.inner.totalRelativeError)).toBeLessThan(Math.abs(bgnbd.inner.totalRelativeError));
    expect(t.chosen).toBe('bgnbd');
    expect(t.reason).toMatch(/^BG\/NBD stays: the inner window \(2022-02-01 → 2022-02-16, 15 days, 234 repeat purchases\) holds too few purchases to judge a challenger/);
    expect(run.learned!.scores).toBeUndefined();
  });

  it('the 12-month CLV stays BG/NBD’s, near the planted truth (≈ 117k), not the learned model’s 104,890', () => {
    expect(run.valueModel!.final.model).toBe('bgnbd');
    expect(run.valueModel!.clv.totalPredicted).toBeGreaterThan(112_000);
    expect(run.valueModel!.clv.totalPredicted).toBeLessThan(125_000);
  });
});
