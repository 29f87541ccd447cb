/**
 * `analyze --skip-models` runs no value model: a flag that only sets the value models (which model, its holdout, the
 * CLV horizon, discount rate, tracking age, the learned tournament, the regularity check) did nothing and the run
 * exited 0 (QA, session 36: `--model bgnbd --skip-models`). Now refused: one line with a hint, exit 2, nothing written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe('analyze --skip-models refuses the flags that only set the value models', () => {
  const cases: [string[], string][] = [
    [['--model', 'bgnbd'], '--model'],
    [['--holdout-days', '90'], '--holdout-days'],
    [['--horizon-months', '24'], '--horizon-months'],
    [['--discount-rate', '0.05'], '--discount-rate'],
    [['--tracking-age', 'next-day'], '--tracking-age'],
    [['--learned-tournament'], '--learned-tournament'],
    [['--no-regularity-check'], '--no-regularity-check'],
  ];
  for (const [flags, name] of cases) {
    it(`${flags.join(' ')} --skip-models: exit 2, one line naming ${name}`, async () => {
      const dir = scratchDir('clvkit-skip-models-flags-');
      const out = join(dir, 'out');
      const run = await cli(['analyze', SHOP, '--db', join(dir, 'w.duckdb'), '--out', out, '--quiet', ...flags, '--skip-models']);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toBe(`clvkit: error: ${name} sets the value models, and --skip-models skips them (hint: drop ${name} or --skip-models)\n`);
      expect(existsSync(join(dir, 'w.duckdb'))).toBe(false);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('--skip-models with the defaults written out (--horizon-months 12 from the default) still runs', async () => {
    const dir = scratchDir('clvkit-skip-models-flags-');
    const run = await cli(['analyze', SHOP, '--db', join(dir, 'w.duckdb'), '--out', join(dir, 'out'), '--quiet', '--skip-models', '--skip-patterns', '--skip-report', '--margin', '0.3']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'out', 'customers.csv'))).toBe(true);
  }, 120_000);
});
