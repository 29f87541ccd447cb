import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { compactWarehouseFile } from '../../../src/privacy/warehouse/compact-warehouse-file.js';
import { cli } from '../../helpers/cli.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';

// Review (session 41, medium): copies killed compactions of earlier versions left under their own names were no
// longer found once compaction wrote through `.<name>.writing-XXXXXX`: `<name>.compact-<12 hex>` files beside the
// warehouse (until 3b848d05; DuckDB made them with the umask, 0644 — a full copy, erased customers too, readable by
// every user) and `.<name>.compact-XXXXXX` folders (3b848d05 … deb61785). Compaction removes them while it holds the
// file, and `clvkit privacy report` names them.

function leaveOlderCopies(dir: string, db: string): { file: string; log: string; folder: string } {
  const file = join(dir, 'shop.duckdb.compact-0a1b2c3d4e5f');
  copyFileSync(db, file);
  chmodSync(file, 0o644);
  const log = `${file}.wal`;
  writeFileSync(log, 'x');
  const folder = join(dir, '.shop.duckdb.compact-Ab12Cd');
  mkdirSync(folder, { mode: 0o700 });
  copyFileSync(db, join(folder, 'shop.duckdb'));
  return { file, log, folder };
}

describe('copies that compactions of earlier versions left', () => {
  it('are removed by the next compaction; another warehouse’s and other names are left alone', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const warehouse = await openDuckDbWarehouse(db, { migrate: false });
    await warehouse.execute("CREATE TABLE held AS SELECT 'c_' || range::VARCHAR AS customer_id FROM range(1000)");
    await warehouse.close();
    leaveOlderCopies(dir, db);
    writeFileSync(join(dir, 'other.duckdb.compact-0a1b2c3d4e5f'), 'x');
    writeFileSync(join(dir, 'shop.duckdb.compact-notes.txt'), 'x');

    await compactWarehouseFile(db);
    expect(readdirSync(dir).sort()).toEqual(['other.duckdb.compact-0a1b2c3d4e5f', 'shop.duckdb', 'shop.duckdb.compact-notes.txt']);
  });

  it('are named by clvkit privacy report in one warning line', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db])).code).toBe(0);
    const { file, log, folder } = leaveOlderCopies(dir, db);
    const told = await cli(['privacy', 'report', '--db', db, '--role', 'admin']);
    expect(told.code, told.stderr).toBe(0);
    const copies = [folder, file, log].sort();
    expect(told.stderr.trimEnd().split('\n').filter((line) => /compaction/.test(line))).toEqual([
      `clvkit: warning: a compaction of ${db} that did not finish left a full copy of the warehouse in ${copies.join(', ')}, which no erasure reaches: remove them (rm -r ${copies.join(' ')}), or compact again (the next compaction removes them)`,
    ]);
    expect(existsSync(file)).toBe(true);
  }, 120_000);
});
