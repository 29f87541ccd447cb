/**
 * Review (session 40, fixed in 41): compaction let go of the warehouse file twice. It checkpointed the file in one
 * DuckDB instance and closed it, then attached it read-only in another to copy it, and let go of it again (DETACH)
 * before the copy was renamed over it: a writer (an ingest, the server) could open the file in either gap. In the
 * second its rows went into the old file, which the rename then replaced with a copy made without them — an ingest
 * acknowledged and lost. Compaction now holds DuckDB's write lock on the file from before the checkpoint until the
 * copy is in place: a writer in either gap is told the file is in use (and may try again), and nothing is lost.
 *
 * The gaps are reached deterministically: core/replace-file.js is wrapped, so that a writer (a process of its own:
 * DuckDB's lock is a lock between processes) runs when the compaction starts its copy (`startOwnerOnlyFile`, after
 * the checkpoint) and right before the copy is moved into place (`place`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { compactWarehouseFile } from '../../../src/privacy/warehouse/compact-warehouse-file.js';
import { UserError } from '../../../src/core/errors/user-error.js';

/** What each writer did: its row, and whether DuckDB let it write (else the error it said). */
const writers = vi.hoisted(() => ({ db: '', outcomes: [] as { row: string; written: boolean; error: string }[] }));

vi.mock('../../../src/core/replace-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/core/replace-file.js')>();
  return {
    ...real,
    startOwnerOnlyFile: (path: string, options?: { readonly keepMode?: boolean }) => {
      if (path === writers.db) write('written when the copy starts');
      const file = real.startOwnerOnlyFile(path, options);
      return {
        ...file,
        place: () => {
          if (path === writers.db) write('written right before the copy is placed');
          file.place();
          // the old file is still held: a writer opens the copy, and is killed with its write-ahead log left beside it
          if (path === writers.db) write('written into the copy once placed, then killed', { killed: true });
        },
      };
    },
  };
});

/**
 * A writer in a process of its own inserts `row` into the warehouse and closes it, as an ingest would; `killed`: it is
 * killed once the insert is committed, its write-ahead log left for the next opening to replay.
 */
function write(row: string, { killed = false } = {}): void {
  const script = [
    "import { DuckDBInstance } from '@duckdb/node-api';",
    `const connection = await (await DuckDBInstance.create(${JSON.stringify(writers.db)})).connect();`,
    `await connection.run(${JSON.stringify(`INSERT INTO held VALUES ('${row}')`)});`,
    "process.stdout.write('committed');",
    killed ? "process.kill(process.pid, 'SIGKILL');" : 'connection.closeSync();',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const written = run.stdout === 'committed';
  writers.outcomes.push({ row, written, error: written ? '' : run.stderr });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('compaction and a writer at the same time', () => {
  it('holds the file from the checkpoint until the copy is in place: a writer in between is refused, nothing is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-compact-lock-'));
    dirs.push(dir);
    writers.db = join(dir, 'shop.duckdb');
    const warehouse = await openDuckDbWarehouse(writers.db, { migrate: false });
    await warehouse.execute("CREATE TABLE held (v VARCHAR); INSERT INTO held VALUES ('before')");
    await warehouse.close();

    await compactWarehouseFile(writers.db);

    const after = await openDuckDbWarehouse(writers.db, { migrate: false });
    let rows: string[];
    try {
      rows = (await after.query('SELECT v FROM held ORDER BY v')).map((r) => String(r.v));
    } finally {
      await after.close();
    }
    const outcomes = writers.outcomes.map(({ row, written, error }) => ({ row, written, inUse: /Conflicting lock/.test(error), kept: rows.includes(row) }));
    expect(outcomes).toEqual([
      { row: 'written when the copy starts', written: false, inUse: true, kept: false },
      { row: 'written right before the copy is placed', written: false, inUse: true, kept: false },
      // letting go of the old file afterwards leaves the copy's log alone
      { row: 'written into the copy once placed, then killed', written: true, inUse: false, kept: true },
    ]);
    expect(rows).toEqual(['before', 'written into the copy once placed, then killed']);
  }, 120_000);

  it('a file another process holds is refused in one line with a hint, and left as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-compact-held-'));
    dirs.push(dir);
    const db = join(dir, 'held.duckdb');
    const warehouse = await openDuckDbWarehouse(db, { migrate: false });
    await warehouse.execute("CREATE TABLE held (v VARCHAR); INSERT INTO held VALUES ('before')");
    await warehouse.close();
    // another process (an ingest, clvkit serve) holds the file until its stdin closes
    const holder = spawn(process.execPath, ['--input-type=module', '-e', [
      "import { DuckDBInstance } from '@duckdb/node-api';",
      `const instance = await DuckDBInstance.create(${JSON.stringify(db)});`,
      "process.stdout.write('open\\n');",
      "process.stdin.resume(); process.stdin.on('end', () => { instance.closeSync(); process.exit(0); });",
    ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await once(holder.stdout!, 'data');
      const error = await compactWarehouseFile(db).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(`cannot compact ${db}: it is in use by another process`);
      expect((error as UserError).hint).toMatch(/^close the other process \(an ingest, clvkit serve\)/);
    } finally {
      holder.stdin!.end();
      await once(holder, 'exit');
    }
    const after = await openDuckDbWarehouse(db, { migrate: false });
    try {
      expect(await after.query('SELECT v FROM held')).toEqual([{ v: 'before' }]);
    } finally {
      await after.close();
    }
  }, 120_000);
});
