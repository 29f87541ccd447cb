/**
 * One warehouse, one decision on its prospects. A run shows the prospect stage whatever its size (all customers less
 * those acquired, both published; docs/privacy.md, "The rule" 4), while `clvkit lifecycle` — its own publication —
 * withheld a small prospect count by its size and a buyers' stage as its partner: so the CLI said "<k" of the 3
 * prospects the run beside it printed, and withheld a stage for nothing. A 300-customer shop with 3 prospects (pinned:
 * prospectShare 0.01), k = 5: both publish 3, and the CLI's stages are the run's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

type Row = Record<string, any>;

describe('clvkit lifecycle publishes the prospects as a run of the same warehouse does', () => {
  useFixedKey(37);
  let run: Row;
  let lifecycle: Row;
  let text: string;

  beforeAll(async () => {
    const dir = scratchDir('clvkit-lifecycle-prospects-');
    await generateShop({ outDir: dir, customers: 300, seed: 5, prospectShare: 0.01, events: false });
    const db = join(dir, 'shop.duckdb');
    const out = join(dir, 'out');
    const analysed = await cli(['analyze', join(dir, 'transactions.csv'), '--customers', join(dir, 'customers.csv'), '--db', db, '--out', out, '--skip-patterns', '--skip-models', '--min-group-size', '5', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
    run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const json = await cli(['lifecycle', '--db', db, '--as-of', run.segments.stages.asOf, '--min-group-size', '5', '--json']);
    expect(json.code, json.stderr).toBe(0);
    lifecycle = JSON.parse(json.stdout);
    const table = await cli(['lifecycle', '--db', db, '--as-of', run.segments.stages.asOf, '--min-group-size', '5']);
    expect(table.code, table.stderr).toBe(0);
    text = table.stdout;
  }, 300_000);

  it('the run shows its 3 prospects (a total)', () => {
    expect(run.segments.stages.stages.find((s: Row) => s.stage === 'prospect')).toMatchObject({ customers: 3, suppression: null });
  });

  it('the lifecycle command shows the same 3, and withholds no partner for them', () => {
    const counts = (stages: Row[]) => stages.map((s) => [s.stage, s.customers]);
    expect(lifecycle.stages.find((s: Row) => s.stage === 'prospect')).toMatchObject({ customers: 3, suppression: null });
    expect(counts(lifecycle.stages)).toEqual(counts(run.segments.stages.stages));
    expect(text).toMatch(/^prospect\s+3\s/m);
  });
});
