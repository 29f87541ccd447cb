/**
 * `clvkit analyze` listens for Ctrl-C before its first slow step: loading
 * every stage took 0.5–4 s (on a busy machine) before the handler was
 * installed, and a Ctrl-C then ended the process without a word. Checked
 * here where it can be seen: when the stages' module loads, the line's
 * SIGINT listener is already there, and it is gone after the run.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const seen = vi.hoisted(() => ({ listenersWhenStagesLoad: -1 }));
vi.mock('../../src/pipeline/analysis-stages.js', async (importOriginal) => {
  seen.listenersWhenStagesLoad = process.listenerCount('SIGINT');
  return await importOriginal();
});

describe('clvkit analyze and Ctrl-C', () => {
  it('listens before it loads the stages, and stops listening at its end', async () => {
    const before = process.listenerCount('SIGINT');
    const dir = scratchDir();
    const run = await cli(['analyze', `${FIXTURES}shop/tiny-shop.csv`, '--db', join(dir, 'w.duckdb'), '--out', join(dir, 'o'), '--quiet', '--skip-models', '--skip-patterns', '--skip-report']);
    expect(run.code, run.stderr).toBe(0);
    expect(seen.listenersWhenStagesLoad).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
