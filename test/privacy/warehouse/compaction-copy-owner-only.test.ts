import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { compactWarehouseFile } from '../../../src/privacy/warehouse/compact-warehouse-file.js';

// Privacy officer's trial (session 40): the rewrite after an erasure, a purge or a key rotation copied the whole
// warehouse into `<db>.compact-<hex>` beside it, a file of the default mode (0644), and set its mode only once the copy
// was whole: while it was written — and for good after a crash — every user of the machine could read a full copy of
// the warehouse. The copy is now made in a scratch folder only its owner may enter, and renamed into place.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('compacting a warehouse file', () => {
  it('never puts a copy of the warehouse where another user could read it, and keeps the file’s mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-compact-mode-'));
    chmodSync(dir, 0o755);
    dirs.push(dir);
    const db = join(dir, 'shop.duckdb');
    const warehouse = await openDuckDbWarehouse(db, { migrate: false });
    await warehouse.execute(
      "CREATE TABLE held AS SELECT 'c_' || range::VARCHAR AS customer_id, 'v1:k0:' || md5(range::VARCHAR) || md5((range * 7)::VARCHAR) AS email_enc FROM range(400000)",
    );
    await warehouse.close();
    expect(statSync(db).mode & 0o777).toBe(0o600);

    // every entry that appears in the folder while the copy is made, with its mode as it is seen
    const seen: { name: string; mode: number }[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (!name) return;
      try {
        seen.push({ name: String(name), mode: lstatSync(join(dir, String(name))).mode & 0o777 });
      } catch {
        // gone again
      }
    });
    try {
      await compactWarehouseFile(db);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      watcher.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    const readableByOthers = seen.filter((entry) => (entry.mode & 0o077) !== 0);
    expect(readableByOthers).toEqual([]);
    expect(readdirSync(dir)).toEqual(['shop.duckdb']);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });
});
