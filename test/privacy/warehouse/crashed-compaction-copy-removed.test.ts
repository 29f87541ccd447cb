import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { compactWarehouseFile } from '../../../src/privacy/warehouse/compact-warehouse-file.js';
import { cli } from '../../helpers/cli.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';

// Review (session 40, L1): a compaction killed while it copied left its scratch folder beside the warehouse, a full
// copy of it (the erased customers' rows too, when the compaction followed an erasure) that nothing removed and no
// later erasure reached. The compaction now writes its copy as every owner-only file is written (startOwnerOnlyFile,
// `.<name>.writing-XXXXXX`), whose next start removes the folders a writer that is gone left; `clvkit privacy report`
// names any it finds.

describe('a copy a crashed compaction left beside the warehouse', () => {
  it('is removed by the next compaction of that warehouse; another warehouse’s is left alone', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const warehouse = await openDuckDbWarehouse(db, { migrate: false });
    await warehouse.execute("CREATE TABLE held AS SELECT 'c_' || range::VARCHAR AS customer_id FROM range(1000)");
    await warehouse.close();
    // as a killed compaction leaves it: a 0700 folder holding a whole copy of the file
    const leftover = join(dir, '.shop.duckdb.writing-Ab12Cd');
    mkdirSync(leftover, { mode: 0o700 });
    copyFileSync(db, join(leftover, 'shop.duckdb'));
    const others = join(dir, '.other.duckdb.writing-Ab12Cd');
    mkdirSync(others, { mode: 0o700 });
    writeFileSync(join(others, 'other.duckdb'), 'x');

    await compactWarehouseFile(db);
    expect(existsSync(leftover)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['.other.duckdb.writing-Ab12Cd', 'shop.duckdb']);
  });

  it('is named by clvkit privacy report in one warning line', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db])).code).toBe(0);
    const quiet = await cli(['privacy', 'report', '--db', db, '--role', 'admin']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/compaction/);

    const leftover = join(dir, '.shop.duckdb.writing-Zz98Yx');
    mkdirSync(leftover, { mode: 0o700 });
    copyFileSync(db, join(leftover, 'shop.duckdb'));
    const told = await cli(['privacy', 'report', '--db', db, '--role', 'admin']);
    expect(told.code, told.stderr).toBe(0);
    expect(told.stderr.trimEnd().split('\n').filter((line) => /compaction/.test(line))).toEqual([
      `clvkit: warning: a compaction of ${db} that did not finish left a full copy of the warehouse in ${leftover}, which no erasure reaches: remove it (rm -r ${leftover}), or compact again (the next compaction removes it)`,
    ]);
  }, 120_000);
});
