import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { openWarehouseThread } from '../../src/server/ingest/warehouse-thread.js';

// Privacy officer's trial (session 40, fixed in 41): DuckDB writes the rows of every commit (tokens, envelopes, amounts,
// and the personal data a warehouse holds in clear) to the write-ahead log `<db>.wal` beside the warehouse file until a
// checkpoint folds them into it. DuckDB made that file with the process's umask — 0644 under the usual 022 — beside a
// warehouse file made 0600, and made it anew after every checkpoint. Every file DuckDB writes beside a warehouse file is
// now its owner's only, whatever the umask, and the umask is the caller's again once the warehouse call has returned.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
let umaskBefore = 0;
beforeEach(() => {
  umaskBefore = process.umask(0o022); // the usual umask: a new file 0644, a new folder 0755
});
afterEach(() => {
  process.umask(umaskBefore);
});
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-wal-owner-only-'));
  chmodSync(dir, 0o755); // a folder others may enter, as a home or project folder usually is
  dirs.push(dir);
  return dir;
};
const mode = (path: string) => statSync(path).mode & 0o777;
/** Every entry of `dir` with its mode, e.g. `{ 'shop.duckdb': 0o600, 'shop.duckdb.tmp': 0o700, 'shop.duckdb.wal': 0o600 }`. */
const modes = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, mode(join(dir, name))]));
/** The entries of `dir` other users may read or enter, with their modes (none: `[]`). */
const readableByOthers = (dir: string) => Object.entries(modes(dir)).filter(([, m]) => (m & 0o077) !== 0);

describe('what DuckDB writes beside a warehouse file is its owner’s only, whatever the umask', () => {
  it('makes the write-ahead log 0600 when a commit creates it, and again after each checkpoint removed it', async () => {
    const dir = scratch();
    const db = join(dir, 'shop.duckdb');
    const warehouse = await openDuckDbWarehouse(db, { migrate: false, threads: 1 });
    try {
      await warehouse.execute("CREATE TABLE held (email VARCHAR); INSERT INTO held VALUES ('a@b.example')");
      expect(mode(`${db}.wal`)).toBe(0o600);
      expect(readableByOthers(dir)).toEqual([]);
      await warehouse.execute('CHECKPOINT'); // DuckDB removes the log; the next commit makes a new one
      expect(await warehouse.append('held', { email: ['c@d.example'] })).toBe(1);
      expect(mode(`${db}.wal`)).toBe(0o600);
      expect(readableByOthers(dir)).toEqual([]);
      await warehouse.execute('CHECKPOINT');
      await warehouse.transaction(async () => {
        await warehouse.execute("INSERT INTO held VALUES ('e@f.example')");
      });
      expect(mode(`${db}.wal`)).toBe(0o600);
      expect(readableByOthers(dir)).toEqual([]);
      expect(await warehouse.query('SELECT count(*) AS n FROM held')).toEqual([{ n: 3 }]);
      // the umask is the caller's again: a file this process writes now has the default mode
      writeFileSync(join(dir, 'notes.txt'), 'no personal data\n');
      expect(mode(join(dir, 'notes.txt'))).toBe(0o644);
    } finally {
      await warehouse.close();
    }
  });

  it('makes the log of the server’s warehouse thread 0600 too', async () => {
    const dir = scratch();
    const db = join(dir, 'served.duckdb');
    const { warehouse: made } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    await made.close();
    const thread = await openWarehouseThread({ db });
    try {
      await thread.warehouse.execute("CREATE TABLE held (email VARCHAR); INSERT INTO held VALUES ('a@b.example')");
      expect(mode(`${db}.wal`)).toBe(0o600);
      expect(readableByOthers(dir)).toEqual([]);
      writeFileSync(join(dir, 'notes.txt'), 'no personal data\n');
      expect(mode(join(dir, 'notes.txt'))).toBe(0o644);
    } finally {
      await thread.warehouse.close();
    }
  });
});
