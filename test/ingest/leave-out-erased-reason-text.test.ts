/**
 * Regression (a cluster trial): the ingest report of a file read with `--leave-out-erased` explained its
 * `erased_customer` line as "(API batches only: a file holding one is refused)" — written before files could leave
 * such rows out, and contradicted by the report it stood in (the file was not refused). It names both ways now.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/warehouse.js';
import { cli } from '../helpers/cli.js';

describe('the erased_customer line of an ingest report', () => {
  it('says the rows were left out (--leave-out-erased), not that a file holding one is refused', async () => {
    const dir = scratchDir();
    const access = ['--db', join(dir, 'left.duckdb'), '--key-file', join(dir, 'left.key')];
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    expect((await cli(['keys', 'init', '--key-file', join(dir, 'left.key')])).code).toBe(0);
    expect((await cli(['ingest', file('first.csv', 'customer_id,date,amount\nB,2023-01-05,10\nC,2023-01-06,4\n'), ...access])).code).toBe(0);
    expect((await cli(['erase', 'B', ...access, '--role', 'admin'])).code).toBe(0);
    const leftOut = await cli(['ingest', file('old.csv', 'customer_id,date,amount\nB,2023-01-07,3\nC,2023-01-08,2\n'), ...access, '--leave-out-erased']);
    expect(leftOut.code, leftOut.stderr).toBe(0);
    const line = leftOut.stdout.split('\n').find((text) => text.trimStart().startsWith('erased_customer'));
    expect(line).toMatch(/^\s+erased_customer\s+1\s+/);
    expect(line).not.toMatch(/a file holding one is refused/);
    expect(line).toMatch(/--leave-out-erased/);
    expect(line).toMatch(/nothing of the row is kept/);
  }, 120_000);
});
