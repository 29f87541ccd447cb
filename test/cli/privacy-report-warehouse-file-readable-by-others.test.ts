/**
 * Privacy officer's trial (session 40): warehouse files were made world-readable (0644) before clvkit made new ones
 * 0600 (test/engine/warehouse-file-owner-only.test.ts); a file made by an older clvkit keeps that mode, and nothing
 * told its owner. `clvkit privacy report` now says so on stderr, with the command that fixes it, and says nothing of
 * a file only its owner may read.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

describe('privacy report on a warehouse file other users may read', () => {
  it('names the mode and the chmod that fixes it; a 0600 file gets no note', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db])).code).toBe(0);

    const quiet = await cli(['privacy', 'report', '--db', db, '--role', 'admin']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/readable by other users/);

    chmodSync(db, 0o644); // as a clvkit before session 40 made it
    const told = await cli(['privacy', 'report', '--db', db, '--role', 'admin']);
    expect(told.code, told.stderr).toBe(0);
    expect(told.stderr.trimEnd().split('\n').filter((line) => /readable by other users/.test(line))).toEqual([
      `clvkit: warning: the warehouse file ${db} is readable by other users of this machine (mode 644): besides the envelopes it holds personal data in clear (password hashes, gender, birth years, search queries, login attempts); make it yours only: chmod 600 ${db}`,
    ]);
    // with --json too (on stderr: the JSON is the report, the same on both engines)
    const json = await cli(['privacy', 'report', '--db', db, '--role', 'admin', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toMatch(/^clvkit: warning: the warehouse file .* is readable by other users of this machine \(mode 644\)/m);
  }, 120_000);
});
