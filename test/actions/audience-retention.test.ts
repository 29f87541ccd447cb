import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('audiences under retention and erasure', () => {
  it('retention removes the members whose customers have nothing left and keeps the others (it does not empty audiences)', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const lines = ['order_id,customer_id,date,amount'];
    const thisYear = new Date().getUTCFullYear();
    for (let c = 1; c <= 10; c++) lines.push(`A${c},OLD${c},2015-03-0${(c % 9) + 1},20`, `B${c},OLD${c},2015-04-0${(c % 9) + 1},25`);
    for (let c = 1; c <= 10; c++) lines.push(`C${c},NEW${c},${thisYear}-01-0${(c % 9) + 1},20`, `D${c},NEW${c},${thisYear}-01-1${(c % 9) + 1},25`);
    writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'orders.csv'), '--db', db])).code).toBe(0);
    const created = await cli(['audience', 'create', '--db', db, '--name', 'everyone', '--where', 'TRUE', '--holdout', '0.3', '--seed', '2', '--min-group-size', '2']);
    expect(created.code, created.stderr).toBe(0);
    const retention = await cli(['retention', 'apply', '--transactions', '3y', '--db', db, '--role', 'admin']);
    expect(retention.code, retention.stderr).toBe(0);
    const erased = await cli(['erase', 'NEW1', '--db', db, '--role', 'admin']);
    expect(erased.code, erased.stderr).toBe(0);
    const warehouse = await openDuckDbWarehouse(db);
    const [counts] = await warehouse.query("SELECT (SELECT count(*) FROM audience_members WHERE audience = 'everyone') AS members, (SELECT count(*) FROM audiences) AS audiences");
    await warehouse.close();
    // the 10 old customers went with their transactions, NEW1 was erased: 9 members are left
    expect([Number(counts!.members), Number(counts!.audiences)]).toEqual([9, 1]);
  }, 120_000);
});
