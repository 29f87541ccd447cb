import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

// A user trial: on a shop of regular buyers BG/NBD settles on its one-rate boundary (Poisson), gives all 3,000
// customers the same P(alive), expected purchases and next-order date (74.5% ordered by the "median" date), and only
// a warning pointed to --learned-tournament. The fit on that boundary now runs MBG/CNBD-k, which describes regular
// buyers, in the honest tournament unasked. (skipSegments: the segments and stages are not looked at here.)
describe('analyze on a shop of regular buyers (300 customers)', () => {
  let dir: string;
  let run: RunSummary;
  beforeAll(async () => {
    dir = scratchDir('clvkit-regularity-check-');
    await generateShop({ outDir: dir, customers: 300, seed: 3, events: false, shape: 'regular' });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true });
  }, 240_000);

  it('runs MBG/CNBD-k beside the BTYD models without --learned-tournament, and its scores win', () => {
    expect(run.valueModel!.final.fit.boundary?.parameters).toContain('r');
    expect(run.learned!.tournament!.candidates.map((c) => c.family).sort()).toEqual(['btyd', 'btyd', 'btyd', 'regularity']);
    expect(run.learned!.tournament!.chosen).toMatch(/^mbgcnbd/);
    expect(run.learned!.scores?.model).toBe('mbgcnbd');
    const note = run.warnings.find((w) => w.includes('MBG/CNBD-k, which describes regular buyers, ran beside the BTYD models'));
    expect(note).toMatch(/^the bgnbd fit shows every customer buying at one steady rate: .* and scores customer_scores; --no-regularity-check skips it/);
    // the boundary warning no longer sends the user to --learned-tournament
    expect(run.warnings.some((w) => w.includes('--learned-tournament runs it'))).toBe(false);
  });

  it('--no-regularity-check (regularityCheck: false) leaves the BTYD model and the pointer to --learned-tournament', async () => {
    const plain = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'plain'), skipPatterns: true, skipReport: true, skipSegments: true, regularityCheck: false });
    expect(plain.learned!.tournament).toBeUndefined();
    expect(plain.warnings.some((w) => w.includes('--learned-tournament runs it'))).toBe(true);
  }, 240_000);

  // QA: --no-churn switched the regularity check off with the churn early warning, so customers.csv's scores changed
  // (regular shop: total 12-month CLV 1,211,613 → 1,185,240). --no-churn drops the churn columns only.
  it('--no-churn (skipChurn) keeps the regularity check and its scores: only the churn early warning goes', async () => {
    const noChurn = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'no-churn'), skipPatterns: true, skipReport: true, skipSegments: true, skipChurn: true });
    expect(noChurn.learned!.tournament!.chosen).toBe(run.learned!.tournament!.chosen);
    expect(noChurn.learned!.scores?.model).toBe('mbgcnbd');
    expect(noChurn.valueModel!.clv.totalPredicted).toBeCloseTo(run.valueModel!.clv.totalPredicted, 6);
    expect(noChurn.learned!.churn).toBeUndefined();
    // and run.json says why the tournament ran: the report's lead reads it (learned.tournamentRanFor)
    expect(noChurn.learned!.tournamentRanFor).toBe('steady-buyers');
    const header = readFileSync(join(dir, 'no-churn', 'customers.csv'), 'utf8').split('\n')[0]!;
    expect(header).toContain('predicted_clv_12m');
    expect(header).not.toContain('churn_probability');
    expect(noChurn.warnings.some((w) => w.includes('--learned-tournament runs it'))).toBe(false);
  }, 240_000);
});

describe('analyze on a shop of BTYD buyers', () => {
  it('does not run the tournament unasked: its fit is not on the one-rate boundary', async () => {
    const dir = scratchDir('clvkit-regularity-check-btyd-');
    await generateShop({ outDir: dir, customers: 800, seed: 5, events: false, shape: 'bgnbd' });
    const run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true });
    expect(run.valueModel!.final.fit.boundary?.parameters ?? []).not.toContain('r');
    expect(run.learned!.tournament).toBeUndefined();
  }, 240_000);
});
