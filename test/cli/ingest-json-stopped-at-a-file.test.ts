/**
 * `clvkit ingest a.csv b.csv c.csv --json` refused at b.csv printed nothing on stdout: a script reading the JSON report
 * learnt what was stored only from the one-line error on stderr ("added before it: a.csv"). Each file commits on its
 * own, so a.csv stays: with --json the run now prints the report of the files before the refused one, as a whole run
 * prints it, with `stopped` (the file, the error and hint of the one line on stderr, the files not read), and still
 * exits 2 with the one line. On both engines.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { IngestReport } from '../../src/ingest/ingest-report.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { CLICKHOUSE_URL, clickhouseFlags, dropScratchDatabase } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';

type Stopped = IngestReport & { stopped: { file: string; error: string; hint: string | null; notRead: string[] } };

function files() {
  const dir = scratchDir();
  const paths = { a: join(dir, 'a-orders.csv'), b: join(dir, 'b-products.csv'), c: join(dir, 'c-orders.csv') };
  writeFileSync(paths.a, 'order_id,customer_id,date,amount\nO1,C1,2024-01-02,10\nO2,C2,2024-01-03,12\nO3,,2024-01-03,5\n');
  writeFileSync(paths.b, 'product_id,description,unit_price\nP1,Mug,3.5\n');
  writeFileSync(paths.c, 'order_id,customer_id,date,amount\nO9,C9,2024-02-02,10\n');
  return { dir, paths };
}

function expectStoppedAtB(run: { code: number; stdout: string; stderr: string }, paths: Record<'a' | 'b' | 'c', string>) {
  expect(run.code).toBe(2);
  const errors = run.stderr.split('\n').filter((line) => line.startsWith('clvkit: error'));
  expect(errors).toHaveLength(1);
  const report = JSON.parse(run.stdout) as Stopped;
  // the report of a.csv, as a whole run would print it: read = accepted + quarantined
  expect(report.files.map((f) => f.source)).toEqual([paths.a]);
  expect([report.rowsRead, report.accepted, report.quarantined, report.rules.missing_customer_id]).toEqual([3, 2, 1, 1]);
  expect(report.stopped.file).toBe(paths.b);
  expect(report.stopped.notRead).toEqual([paths.c]);
  // the one line on stderr is the error and hint of `stopped`
  expect(errors[0]).toBe(`clvkit: error: ${report.stopped.error} (hint: ${report.stopped.hint})`);
  expect(report.stopped.error).toMatch(/^b-products\.csv: no column for required role 'customer_id' .*; added before it: a-orders\.csv$/);
}

describe('ingest --json stopped at a file prints the report of the files before it', () => {
  it('DuckDB: the files added, the file refused and those not read; exit 2 with the one line', async () => {
    const { dir, paths } = files();
    const db = join(dir, 'shop.duckdb');
    expectStoppedAtB(await cli(['ingest', paths.a, paths.b, paths.c, '--db', db, '--json']), paths);
    // what it printed is what the warehouse holds: a.csv's 2 lines, c.csv not read
    const held = JSON.parse((await cli(['ingests', 'list', '--db', db, '--json'])).stdout) as { source: string; accepted: number }[];
    expect(held.map((i) => [i.source, i.accepted])).toEqual([['a-orders.csv', 2]]);
  });

  it('the first file refused: no file added, the same shape (an empty report and stopped)', async () => {
    const { dir, paths } = files();
    const run = await cli(['ingest', paths.b, paths.a, '--db', join(dir, 'first.duckdb'), '--json']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Stopped;
    expect([report.files, report.rowsRead, report.stopped.file, report.stopped.notRead]).toEqual([[], 0, paths.b, [paths.a]]);
  });

  it('without --json stdout stays empty (the one line on stderr says it)', async () => {
    const { dir, paths } = files();
    const run = await cli(['ingest', paths.a, paths.b, '--db', join(dir, 'text.duckdb')]);
    expect([run.code, run.stdout]).toEqual([2, '']);
  });

  describe.skipIf(!CLICKHOUSE_URL)('on ClickHouse', () => {
    const database = `clvkit_test_ingest_json_stopped_${process.pid}`;
    useFixedKey(42);
    afterAll(async () => dropScratchDatabase(await openClickHouseWarehouse(CLICKHOUSE_URL, { database, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}) })));
    it('the same report and stopped', async () => {
      const { paths } = files();
      expectStoppedAtB(await cli(['ingest', paths.a, paths.b, paths.c, ...clickhouseFlags(database), '--json']), paths);
    });
  });
});

describe('where an ingest stopped is kept with its error', () => {
  it('interrupted (Ctrl-C) and refused: the file, the files before it and those not read; other errors none', async () => {
    const { ingestStopOf, interruptedIngestError, nameFilesAdded } = await import('../../src/ingest/name-files-added.js');
    const { UserError } = await import('../../src/core/errors/user-error.js');
    const before = [{ source: '/x/a.csv', alreadyIngested: false } as never];
    expect(ingestStopOf(interruptedIngestError('/x/b.csv', before, ['/x/c.csv']))).toEqual({ file: '/x/b.csv', before, notRead: ['/x/c.csv'] });
    // an error of another kind than UserError is returned as it is, and marked all the same
    const other = new Error('disk full');
    expect(nameFilesAdded(other, before, '/x/b.csv', [])).toBe(other);
    expect(ingestStopOf(other)).toEqual({ file: '/x/b.csv', before, notRead: [] });
    expect(ingestStopOf(new UserError('no input file given', 'h'))).toBeNull();
    expect(ingestStopOf('a string')).toBeNull();
  });
});
