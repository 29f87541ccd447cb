import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

// QA pass (s30): `clvkit segments orders.csv` on a file of which 80 of 120 lines were quarantined (an impossible date,
// a price of zero) printed revenue and shares over the 40 left with no word of the 80; summarize and analyze say
// "120 rows read, 40 accepted, 80 quarantined", the other commands that read a file in memory said nothing.
function halfBadOrders(): string {
  const dir = scratchDir();
  const lines = ['customer_id,order_date,product_id,quantity,unit_price'];
  for (let i = 1; i <= 40; i++) {
    lines.push(`K${i},2023-0${(i % 9) + 1}-1${i % 9},P${i % 5},1,10`);
    lines.push(`K${i},2023-02-31,P1,1,10`); // bad_date
    lines.push(`K${i + 100},2023-03-05,P2,1,0`); // nonpositive_price
  }
  writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
  return join(dir, 'orders.csv');
}

const SAID = 'clvkit: warning: orders.csv: 120 rows read, 40 accepted, 80 quarantined (bad_date 40, nonpositive_price 40): the quarantined rows are left out of these results';

describe('a read command given a file says how many of its rows were quarantined', () => {
  useFixedKey(9);

  const small = ['--min-group-size', '2'];
  for (const args of [['segments', ...small], ['lifecycle', ...small], ['cohorts', ...small], ['rules'], ['sequences'], ['recommend', '--customer', 'K1']]) {
    it(`${args[0]}`, async () => {
      const result = await cli([args[0]!, halfBadOrders(), ...args.slice(1)]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(SAID);
    });
  }

  it('validate', async () => {
    // the value models need 50 customers by the calibration end: 60 buying three times, and 60 lines of none
    const dir = scratchDir();
    const lines = ['customer_id,order_date,product_id,quantity,unit_price'];
    for (let i = 1; i <= 60; i++) {
      for (const month of [1 + (i % 4), 5 + (i % 3), 9 + (i % 3)]) lines.push(`V${i},2023-${String(month).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')},P${i % 7},1,${5 + (i % 11)}`);
      lines.push(`V${i},2023-02-31,P1,1,10`);
    }
    writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
    const result = await cli(['validate', join(dir, 'orders.csv'), '--calibration-end', '2023-08-01', '--no-learned']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('clvkit: warning: orders.csv: 240 rows read, 180 accepted, 60 quarantined (bad_date 60): the quarantined rows are left out of these results');
  });

  it('says nothing of the kind when every row was accepted', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'clean.csv'), 'customer_id,order_date,product_id,quantity,unit_price\nA,2023-01-05,P1,1,10\nB,2023-02-05,P1,1,10\n');
    const result = await cli(['segments', join(dir, 'clean.csv'), '--min-group-size', '2']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('quarantined');
  });
});
