/**
 * Regression (a user trial): the refusal of a file holding rows of an erased customer offered only
 * `--readmit-erased` (an admin's decision that undoes part of the erasure) beside editing the file, although
 * `clvkit ingest --leave-out-erased` loads the rest and leaves those rows out. Its one-line hint names the three
 * choices, and the one it adds is real: the same file with --leave-out-erased is loaded without the erased customer.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../helpers/warehouse.js';
import { cli } from '../../helpers/cli.js';

describe('the refusal of an erased customer\'s rows on ingest', () => {
  it('names in one line: remove the rows, --leave-out-erased, or --readmit-erased --role admin; --leave-out-erased then loads the rest', async () => {
    const dir = scratchDir();
    const db = join(dir, 'erased.duckdb');
    const access = ['--db', db, '--key-file', join(dir, 'erased.key')];
    const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    expect((await cli(['keys', 'init', '--key-file', join(dir, 'erased.key')])).code).toBe(0);
    expect((await cli(['ingest', file('first.csv', 'customer_id,date,amount\nB,2023-01-05,10\nC,2023-01-06,4\n'), ...access])).code).toBe(0);
    expect((await cli(['erase', 'B', ...access, '--role', 'admin'])).code).toBe(0);
    const old = file('old.csv', 'customer_id,date,amount\nB,2023-01-07,3\nC,2023-01-08,2\n');
    const refused = await cli(['ingest', old, ...access]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('clvkit: reading '))).toEqual([
      "clvkit: error: old.csv holds rows of 1 customer erased from this warehouse before; nothing of this file was added (hint: remove their rows from the file, leave them out with clvkit ingest --leave-out-erased (quarantined as erased_customer, nothing of them kept), or add them again with clvkit ingest --readmit-erased --role admin (the ingest's audit entry counts and lists them))",
    ]);
    const leftOut = await cli(['ingest', old, ...access, '--leave-out-erased', '--json']);
    expect(leftOut.code, leftOut.stderr).toBe(0);
    expect(JSON.parse(leftOut.stdout)).toMatchObject({ accepted: 1, quarantined: 1 });
  }, 120_000);
});
