/**
 * Regression (session 40's data-engineer trial): `clvkit ingest 'orders-*.parquet'` — a pattern the shell did not
 * expand, quoted or matching nothing — was refused as "no such file" with the hint to check the path, as if the name
 * were mistyped. The refusal now says that clvkit does not expand patterns, and how to let the shell do it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('a file pattern the shell left as typed', () => {
  it('is refused saying the shell expands patterns, not clvkit', async () => {
    const dir = scratchDir();
    const run = await cli(['ingest', join(dir, 'orders-*.parquet'), '--db', join(dir, 'shop.duckdb')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`clvkit: error: no such file: ${join(dir, 'orders-*.parquet')} (clvkit does not expand * ? [ ]: the shell does) (hint: leave the pattern unquoted, e.g. clvkit ingest data/*.csv --db shop.duckdb; if it stays as typed, no file matches it)\n`);
  });

  it('a plain missing name keeps its hint', async () => {
    const run = await cli(['ingest', join(scratchDir(), 'orders.csv'), '--db', join(scratchDir(), 'shop.duckdb')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no such file: .*orders\.csv \(hint: check the path/);
  });
});
