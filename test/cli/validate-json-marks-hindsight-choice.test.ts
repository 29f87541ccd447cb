/**
 * `validate --json` put the choice made on the holdout at the top level (`.chosen`, `.reason`: Pareto/NBD on CDNOW 39+39)
 * and the honest choice, made without looking at the holdout, at `.honest.chosen` (MBG/NBD): a script reading `.chosen`
 * took a choice made in hindsight (s43 data-science pass). The keys stay (scripts read them); beside them `chosenBy:
 * 'holdout'` and `hindsight: true` say what they are.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('validate --json', () => {
  useFixedKey(11);
  const dir = scratchDir();
  const file = join(dir, 'orders.csv');
  writeFileSync(file, ['customer_id,date,amount', ...monthlyShopRows()].join('\n') + '\n');

  it('marks the top-level chosen/reason as the choice on the holdout, in hindsight, right after them', async () => {
    const run = await cli(['validate', '--calibration-end', '2023-08-31', '--no-learned', '--json', file]);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.chosenBy).toBe('holdout');
    expect(json.hindsight).toBe(true);
    const keys = Object.keys(json);
    expect(keys.slice(keys.indexOf('chosen'), keys.indexOf('chosen') + 4)).toEqual(['chosen', 'reason', 'chosenBy', 'hindsight']);
  });
});
