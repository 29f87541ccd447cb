/**
 * A QA pass: `ingest` had no --quiet where analyze and synth have one. ingest prints a progress line per file on
 * stderr ("clvkit: reading FILE"); --quiet leaves them out (as analyze's --quiet: no progress output), the report and
 * warnings stay.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

describe('clvkit ingest --quiet', () => {
  useFixedKey(43);
  const shop = `${FIXTURES}shop/tiny-shop.csv`;

  it('prints no progress line; without it, one per file', async () => {
    const loud = await cli(['ingest', shop, '--db', join(scratchDir(), 'a.duckdb')]);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stderr).toContain(`clvkit: reading ${shop}\n`);
    const quiet = await cli(['ingest', shop, '--db', join(scratchDir(), 'b.duckdb'), '--quiet']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('clvkit: reading');
    expect(quiet.stdout).toBe(loud.stdout.replaceAll('a.duckdb', 'b.duckdb'));
  });
});
