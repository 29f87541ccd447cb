/**
 * `clvkit ingest` stopped by Ctrl-C (SIGINT) says in one line what it did —
 * nothing of the file it was reading, the files added before it kept — and
 * exits 130 (a user trial: `kill -INT` mid-way ended it without a word). The
 * signal is emitted in this process as the second file starts being read.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { interruptedCli, orders } from '../helpers/interrupted-cli.js';

describe('ingest stopped by Ctrl-C', () => {
  it('one line: nothing from the file being read was added, the file before it kept, the one after not read; exit 130', async () => {
    const dir = scratchDir();
    const [a, b, c] = [orders(dir, 'a.csv', 'A'), orders(dir, 'b.csv', 'B'), orders(dir, 'c.csv', 'C')];
    const db = join(dir, 'shop.duckdb');
    const run = await interruptedCli(['ingest', a, b, c, '--db', db], `clvkit: reading ${b}`);
    expect(run.stderr.split('\n').at(-2)).toBe('clvkit: ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv; not read: c.csv');
    expect(run.code).toBe(130);
    expect(process.listenerCount('SIGINT')).toBe(0); // the handler went with the command
    const warehouse = await openDuckDbWarehouse(db);
    try {
      expect(await warehouse.query('SELECT source, count(*) AS n FROM transactions GROUP BY source')).toEqual([{ source: 'a.csv', n: 2 }]);
    } finally {
      await warehouse.close();
    }
    // the same command again adds b and c whole
    const again = await cli(['ingest', a, b, c, '--db', db, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).files.map((f: { alreadyIngested: boolean; accepted: number }) => [f.alreadyIngested, f.accepted])).toEqual([[true, 0], [false, 2], [false, 2]]);
  });

  it('into a new warehouse, stopped in its first file: the warehouse and key file just made are removed again, and it says so', async () => {
    const dir = scratchDir();
    const a = orders(dir, 'a.csv', 'A');
    const db = join(dir, 'new.duckdb');
    const run = await interruptedCli(['ingest', a, '--db', db], `clvkit: reading ${a}`);
    expect(run.stderr.split('\n').slice(-3)).toEqual([`clvkit: nothing was ingested: removed the new warehouse ${db} and its key file again`, 'clvkit: ingest interrupted: nothing from a.csv was added', '']);
    expect(run.code).toBe(130);
  });
});
