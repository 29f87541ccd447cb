import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { ingestTwoOrderShop } from '../helpers/two-order-shop.js';

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

  it('show, list and campaign evaluate count the members left after an erasure: an erased control customer can bring the control group below the k-floor', async () => {
    const { dir, db } = await ingestTwoOrderShop(30);
    // 30 members, round(30 × 0.17) = 5 in control: exactly the floor
    const created = await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'TRUE', '--holdout', '0.17', '--seed', '4', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'all.csv')]);
    expect(created.code, created.stderr).toBe(0);
    const members = readFileSync(join(dir, 'all.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const erasedId = members.find((m) => m[1] === 'control')![2]!;
    writeFileSync(join(dir, 'after.csv'), ['order_id,customer_id,date,amount', ...members.map((m, i) => `J${i},${m[2]},2023-07-10,${10 + i}`)].join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'after.csv'), '--db', db])).code).toBe(0);
    expect((await cli(['erase', erasedId, '--db', db, '--role', 'admin'])).code).toBe(0);
    const shown = JSON.parse((await cli(['audience', 'show', 'all', '--db', db, '--json'])).stdout);
    expect(shown).toMatchObject({ members: 29, treatment: 25, control: 4, drawn: { members: 30, treatment: 25, control: 5 } });
    const listed = JSON.parse((await cli(['audience', 'list', '--db', db, '--json'])).stdout);
    expect(listed[0]).toMatchObject({ members: 29, control: 4 });
    expect((await cli(['audience', 'show', 'all', '--db', db])).stdout).toMatch(/^audience all: 29 customers — 25 treatment, 4 control \(17\.0% held out, seed 4; 1 removed since the draw by erasure or retention\)/);
    const evaluated = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'all', '--from', '2023-07-01', '--to', '2023-07-31']);
    expect(evaluated.code, evaluated.stdout).toBe(2);
    expect(evaluated.stderr).toMatch(/^clvkit: error: the control group of all has 4 customers, fewer than the minimum group size 5/);
  }, 120_000);
});
