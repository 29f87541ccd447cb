/**
 * Privacy officer's trial (session 40): warehouse files were made world-readable (0644) before clvkit made new ones
 * 0600 (test/engine/warehouse-file-owner-only.test.ts); a file made by an older clvkit keeps that mode, and nothing
 * told its owner. `clvkit privacy report` now says so on stderr, with the command that fixes it, and says nothing of
 * a file only its owner may read.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
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

  // Session 41: DuckDB's write-ahead log <db>.wal took the process's umask (0644 under 022); a run killed before it closed
  // the warehouse left it beside the file with the rows of its last commits. The report says so (it folds the log in).
  it('names a write-ahead log other users could read that a killed run left, and says it is folded in and gone', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db])).code).toBe(0);
    // a run killed after a commit (DuckDB as a clvkit before session 41 ran it: the log made with the umask, 022 here)
    const killed = spawnSync(process.execPath, ['--input-type=module', '-e', [
      "import { DuckDBInstance } from '@duckdb/node-api';",
      'process.umask(0o022);',
      `const connection = await (await DuckDBInstance.create(${JSON.stringify(db)})).connect();`,
      // two commits that leave the warehouse as it was once replayed (a table made and dropped)
      'await connection.run("CREATE TABLE killed_run_probe (v INTEGER)");',
      'await connection.run("DROP TABLE killed_run_probe");',
      "process.kill(process.pid, 'SIGKILL');",
    ].join('\n')], { encoding: 'utf8' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(statSync(`${db}.wal`).mode & 0o777).toBe(0o644);

    const told = await cli(['privacy', 'report', '--db', db, '--role', 'admin']);
    expect(told.code, told.stderr).toBe(0);
    expect(told.stderr.trimEnd().split('\n').filter((line) => /write-ahead log/.test(line))).toEqual([
      `clvkit: warning: the write-ahead log ${db}.wal beside the warehouse was readable by other users of this machine (mode 644): it holds the rows of the latest writes until they are folded into the warehouse file; this report folded it in and it is gone now (a copy someone took meanwhile is not reached)`,
    ]);
    expect(existsSync(`${db}.wal`)).toBe(false);
    const again = await cli(['privacy', 'report', '--db', db, '--role', 'admin']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/write-ahead log/);
  }, 120_000);
});
