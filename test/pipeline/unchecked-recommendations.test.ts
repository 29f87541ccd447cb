/**
 * When the recommender cannot be evaluated (no orders on one side of the time split: a shop whose orders all fall on
 * one day), recommendations.csv is written from item similarity + rules unchecked. Regression: only run.json's
 * patterns.evaluationNote said so — the CLI summary and the report, which name the recommender and why whenever it
 * was evaluated, said nothing about the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('recommendations written without an evaluation (one-day shop)', () => {
  let run: RunSummary;
  let dir: string;
  beforeAll(async () => {
    dir = scratchDir('clvkit-unchecked-recs-');
    await generateShop({ outDir: dir, customers: 300, seed: 3, events: false, shape: 'one-day' });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out') });
  }, 120_000);

  it('run.json has no recommender choice, and a note saying the file was written unchecked', () => {
    expect(run.patterns!.recommender).toBeNull();
    // which side of the split is empty: every order is on or after the cutoff (it said 'no orders on one side of 2021-12-05')
    expect(run.patterns!.evaluationNote).toMatch(/^no recommender evaluation: every order falls on or after 2021-12-05, the first day held out to score it, so none is left to learn from; item similarity \+ rules written unchecked$/);
    expect(run.outputs.recommendationsCsv).toBeTruthy();
  });

  it('the CLI summary and the report say so too', () => {
    expect(formatRunSummary(run)).toMatch(/^ {2}cross-sell .*; no recommender evaluation: .*written unchecked$/m);
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toMatch(/Recommendations \(recommendations\.csv\): no recommender evaluation: [^<]*written unchecked/);
  });
});
