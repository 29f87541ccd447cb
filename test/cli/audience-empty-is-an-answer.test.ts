/**
 * A data engineer's nightly job (session 43): `clvkit audience create --where "…"` on a night no customer matched
 * exited 2 ("the audience … is empty"), as a typo does, and the job failed. A valid filter that matches nobody is an
 * answer: exit 0, nothing stored (an audience of nobody cannot be sent nor measured), the --out file with its header
 * alone, and a warning on stderr and in --json `warnings` with what it said before (the ranges of the filter's numbers).
 * A text a stage or segment never holds (a typo) is still refused, exit 2 with the names it holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

let db: string;
let dir: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
  dir = scratchDir();
}, 180_000);

describe('audience create matching nobody', () => {
  it('exits 0 with an empty audience, nothing stored, the file with its header, and a warning', async () => {
    const out = join(dir, 'nobody.csv');
    const run = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'frequency > 1000', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect([answer.members, answer.matched, answer.treatment, answer.control, answer.reused, answer.balance]).toEqual([0, 0, 0, 0, false, null]);
    const warning = `warning: the audience nobody is empty: no customer matches --where frequency > 1000: nothing stored; ${out} holds its header alone (hint: widen the filter: frequency runs from 0 to 8 among the 60 customers; clvkit segments / lifecycle --db ${db} show how many customers each segment and stage holds)`;
    expect(answer.warnings).toEqual([warning]);
    expect(run.stderr).toBe(`clvkit: ${warning}\n`);
    expect(answer.file).toEqual({ path: out, format: 'csv', rows: 0, columns: ['customer_id', 'group'], group: 'all' });
    expect(readFileSync(out, 'utf8')).toBe('customer_id,group\n');
    const listed = JSON.parse((await cli(['audience', 'list', '--db', db, '--json'])).stdout) as { name: string }[];
    expect(listed.map((a) => a.name)).not.toContain('nobody');
    // the name stays free: the next night's draw of it is a draw
    const text = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'frequency > 1000']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^audience nobody: 0 customers — 0 treatment, 0 control/);
  });

  it('a stage or segment name it never holds is still refused, exit 2', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'typo', '--where', "segment = 'Champs'"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: --where: 'Champs' at character 11 is not a value of segment \(hint: segment is one of .*Champions/);
  });
});
