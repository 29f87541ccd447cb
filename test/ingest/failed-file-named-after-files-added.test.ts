import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

// A user trial (session 40): `clvkit ingest shop/*.csv` added customers.csv and events.csv, then stopped with
// "no column for required role 'customer_id' (columns found: …); added before it: customers.csv, events.csv" — "it"
// named nowhere (--quiet prints no line as each file starts): which file was refused had to be guessed.
describe('ingest of several files, one refused after others were added', () => {
  it('names the refused file in its one-line error', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'a-orders.csv'), 'order_id,customer_id,date,amount\nO1,C1,2024-01-02,10\nO2,C2,2024-01-03,12\n');
    writeFileSync(join(dir, 'b-products.csv'), 'product_id,description,unit_price\nP1,Mug,3.5\n');
    const run = await cli(['ingest', join(dir, 'a-orders.csv'), join(dir, 'b-products.csv'), '--db', join(dir, 'shop.duckdb'), '--quiet']);
    expect(run.code).toBe(2);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('clvkit: error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^clvkit: error: b-products\.csv: no column for required role 'customer_id' \(columns found: 1:product_id, 2:description, 3:unit_price\); added before it: a-orders\.csv \(hint: /);
  });

  it('does not name it twice when the error names it already', async () => {
    const { nameFilesAdded } = await import('../../src/ingest/name-files-added.js');
    const { UserError } = await import('../../src/core/errors/user-error.js');
    const named = nameFilesAdded(new UserError('b.csv holds rows of 1 customer erased; nothing of this file was added', 'h'), [{ source: '/x/a.csv', alreadyIngested: false } as never], '/x/b.csv') as Error;
    expect(named.message).toBe('b.csv holds rows of 1 customer erased; nothing of this file was added; added before it: a.csv');
  });
});
