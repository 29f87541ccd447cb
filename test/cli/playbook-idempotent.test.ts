/**
 * A data engineer's nightly job (session 43): `clvkit playbook --db W --out D --json` run again the same night (a retry
 * after a timeout) exited 2 "audience playbook-…-loyal already exists: nothing was drawn". With --idempotent, a run
 * again with the same inputs answers the plan of the first run, stored with its audiences — exit 0, the same plays,
 * `reused: true` and a warning saying so, plan.json, plan.csv and the plays' files written to --out again — while a run
 * with other inputs under the same names is still refused (exit 2, naming what differs). The API's
 * `POST /api/playbook/run` takes `"idempotent": true` the same way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

let db: string;
let dir: string;
let config: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
  dir = scratchDir();
  config = join(dir, 'nightly.json');
  writeFileSync(config, JSON.stringify({ plays: [{ name: 'loyal', where: 'frequency >= 2', costPerContact: 1, expectedLift: 0.1, holdout: 0.3 }, { name: 'rest', where: 'TRUE', costPerContact: 0.5, expectedLift: 0.05, holdout: 0.3 }] }));
}, 180_000);

const run = (out: string, ...extra: string[]) => cli(['playbook', '--db', db, '--config', config, '--out', join(dir, out), '--prefix', 'nightly-', '--json', ...extra]);

describe('playbook --idempotent', () => {
  it('run again with the same inputs answers the first plan, exit 0, reused; other inputs are refused naming them', async () => {
    const first = await run('first', '--idempotent');
    expect(first.code, first.stderr).toBe(0);
    const plan = JSON.parse(first.stdout);
    expect(plan.reused).toBe(false);
    expect(plan.plays.filter((p: { audience: string | null }) => p.audience !== null).map((p: { audience: string }) => p.audience)).toEqual(['nightly-loyal', 'nightly-rest']);

    const again = await run('again', '--idempotent');
    expect(again.code, again.stderr).toBe(0);
    const reused = JSON.parse(again.stdout);
    expect(reused.reused).toBe(true);
    const note = 'the audiences of this playbook (nightly-loyal, nightly-rest) exist, drawn with the same inputs: the plan of that run answered as stored, nothing drawn again (--idempotent)';
    expect(reused.warnings[0]).toBe(note);
    expect(again.stderr).toBe(`clvkit: ${note}\n`);
    expect(reused.totals).toEqual(plan.totals);
    expect(reused.plays.map((p: { members: number; treatment: number; control: number }) => [p.members, p.treatment, p.control])).toEqual(plan.plays.map((p: { members: number; treatment: number; control: number }) => [p.members, p.treatment, p.control]));
    // the files written to this --out again: the plays' members as the first run wrote them, the plan naming them
    expect(readFileSync(join(dir, 'again', 'loyal.csv'), 'utf8')).toBe(readFileSync(join(dir, 'first', 'loyal.csv'), 'utf8'));
    expect(reused.plays[0].file).toBe(join(dir, 'again', 'loyal.csv'));
    expect(JSON.parse(readFileSync(join(dir, 'again', 'plan.json'), 'utf8'))).toEqual(reused);

    const other = await run('other', '--idempotent', '--seed', '2');
    expect(other.code).toBe(2);
    expect(other.stdout).toBe('');
    expect(other.stderr).toBe(`clvkit: error: audience nightly-loyal already exists, drawn with other inputs: seed: 1 then, 2 now (hint: the same inputs answer the stored plan; for these pass another --prefix, or drop it first: clvkit audience drop nightly-loyal --db ${db})\n`);
  });

  it('a play of that run dropped since: refused, saying so, nothing drawn', async () => {
    expect((await cli(['audience', 'drop', 'nightly-rest', '--db', db])).code).toBe(0);
    const again = await run('after-drop', '--idempotent');
    expect(again.code).toBe(2);
    // the drop took the run's stored plan away (session 43, review: a plan answers only the run that drew the audiences)
    expect(again.stderr).toBe(`clvkit: error: the audience nightly-loyal of a run of this playbook with the same inputs exists, but no plan of that run is stored (it stopped before storing it, or one of its audiences was dropped since) (hint: drop them (clvkit audience drop nightly-loyal --db ${db}) and run it again, or pass another --prefix)\n`);
  });

  it('without --idempotent the names are refused as before, the hint naming the flag', async () => {
    const again = await run('plain');
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`clvkit: error: audience nightly-loyal already exists: nothing was drawn (hint: pass another --prefix, or drop it first: clvkit audience drop nightly-loyal --db ${db}; --idempotent answers the plan of a run with the same inputs)\n`);
  });
});
