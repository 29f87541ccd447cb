/**
 * A trial as a data engineer: `zcat orders.csv.gz | clvkit ingest /dev/stdin` (or `<(zcat …)`, or a named pipe) was
 * refused as `/dev/stdin is empty (0 bytes) (hint: export the data again; the file has no rows)` — a pipe's size is 0
 * whatever flows through it, and the data were there. clvkit reads a file more than once (its head, its hash, the
 * engine's passes), which a pipe cannot give: it is now refused as what it is, with the hint to save the stream to a
 * file (a .gz file is read as it is). A file redirected to stdin (`< orders.csv`) is a file and is still read.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';

describe('a pipe given where an input file belongs', () => {
  useFixedKey(41);
  let dir: string;
  let fifo: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clvkit-pipe-'));
    fifo = join(dir, 'orders.csv');
    execFileSync('mkfifo', [fifo]);
    copyFileSync(`${FIXTURES}shop/tiny-shop.csv`, join(dir, 'tiny-shop.csv'));
  });

  const refusal = () =>
    `clvkit: error: ${fifo} is a pipe, not a file: clvkit reads a file more than once (its layout, its hash, then its rows) (hint: save the stream to a file first and pass that, e.g. zcat orders.csv.gz > orders.csv (a .gz file is read as it is, without zcat))`;

  it('ingest refuses it in one line naming the pipe, not as an empty file, and makes no warehouse', async () => {
    const db = join(dir, 'w.duckdb');
    const run = await cli(['ingest', fifo, '--db', db, '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('clvkit: nothing was ingested'))).toEqual([refusal()]);
    expect(existsSync(db)).toBe(false);
  });

  it('a read command given it (segments) says the same', async () => {
    const run = await cli(['segments', fifo, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toBe(refusal());
  });

  it('a regular file is still read (the check refuses pipes only)', async () => {
    const run = await cli(['ingest', join(dir, 'tiny-shop.csv'), '--db', join(dir, 'ok.duckdb'), '--quiet', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).rowsRead).toBeGreaterThan(0);
  });
});
