import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

// validate read a transaction file only, while the other read commands (rules, segments, customer, …) also read a
// warehouse (--db PATH). It reads one now, by the same path they do (withInputWarehouse: the key resolved, the role
// checked, the read audited), and gives the figures it gives for the file the warehouse was made from.
describe('validate --db PATH', () => {
  useFixedKey(11);
  const dir = scratchDir();
  const file = join(dir, 'orders.csv');
  writeFileSync(file, ['customer_id,date,amount', ...monthlyShopRows()].join('\n') + '\n');
  const db = join(dir, 'shop.duckdb');
  const validate = ['validate', '--calibration-end', '2023-08-31', '--json'];

  it('gives the figures validate gives for the file ingested into it', async () => {
    const onFile = await cli([...validate, file]);
    expect(onFile.code, onFile.stderr).toBe(0);
    expect((await cli(['ingest', file, '--db', db])).code).toBe(0);
    const onDb = await cli([...validate, '--db', db]);
    expect(onDb.code, onDb.stderr).toBe(0);
    const [fromFile, fromDb] = [JSON.parse(onFile.stdout), JSON.parse(onDb.stdout)];
    expect(fromDb.calibrationCustomers).toBe(51); // those who bought by the calibration end
    expect(fromDb).toEqual(fromFile);
    // the read is audited as the other read commands' are
    const audit = await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json']);
    expect(audit.stdout).toMatch(/"command": "validate"/);
  });

  it('refuses a file beside --db, a missing warehouse, and no input, in one line', async () => {
    const both = await cli([...validate, file, '--db', db]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^clvkit: error: both a file \(.*orders\.csv\) and --db given/);
    const missing = await cli([...validate, '--db', join(dir, 'none.duckdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^clvkit: error: no warehouse .*none\.duckdb/);
    const none = await cli(validate);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^clvkit: error: validate needs a transaction file or --db PATH/);
  });
});
