/**
 * A data engineer's nightly job (session 43): `clvkit audience create --name winback-2026-12-08 …` run again the same
 * night (a retry after a timeout) exited 2 "audience … already exists", and a job had no way to tell its own first run
 * from a clash with another audience of that name. With --idempotent, a run again under the same name with the same
 * inputs answers the audience stored by the first one — exit 0, the same groups, `reused: true` and a warning saying
 * so in --json, its --out file written again — while other inputs under that name are still refused (exit 2, one
 * line naming the inputs that differ). Without --idempotent the name is refused as before, its hint naming the flag.
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

const create = (name: string, ...extra: string[]) => cli(['audience', 'create', '--db', db, '--name', name, '--where', 'frequency >= 1', '--holdout', '0.3', '--json', ...extra]);

describe('audience create --idempotent', () => {
  it('run again with the same inputs answers the stored audience, exit 0, reused', async () => {
    const first = await create('nightly', '--idempotent', '--out', join(dir, 'first.csv'));
    expect(first.code, first.stderr).toBe(0);
    const drawn = JSON.parse(first.stdout);
    expect(drawn.reused).toBe(false);
    const again = await create('nightly', '--idempotent', '--out', join(dir, 'again.csv'));
    expect(again.code, again.stderr).toBe(0);
    const reused = JSON.parse(again.stdout);
    expect(reused.reused).toBe(true);
    for (const key of ['name', 'where', 'members', 'matched', 'treatment', 'control', 'holdout', 'seed', 'sendDate', 'measureDays', 'scoresAsOf', 'meanPredictedClv', 'suppressed']) expect([key, reused[key]]).toEqual([key, drawn[key]]);
    expect(reused.warnings).toContain(`audience nightly exists, drawn with the same inputs: answered as stored, nothing drawn again (--idempotent)`);
    expect(again.stderr).toContain('clvkit: audience nightly exists, drawn with the same inputs: answered as stored, nothing drawn again (--idempotent)\n');
    // the send file written again: the same members in the same groups
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'first.csv'), 'utf8'));
    const listed = JSON.parse((await cli(['audience', 'list', '--db', db, '--json'])).stdout) as { name: string }[];
    expect(listed.filter((a) => a.name === 'nightly')).toHaveLength(1);
  });

  it('other inputs under the same name: exit 2, naming what differs', async () => {
    expect((await create('clash', '--idempotent')).code).toBe(0);
    const other = await create('clash', '--idempotent', '--seed', '2');
    expect(other.code).toBe(2);
    expect(other.stdout).toBe('');
    expect(other.stderr).toBe(`clvkit: error: audience clash already exists, drawn with other inputs: seed: 1 then, 2 now (hint: the same inputs answer the stored audience; for these choose another --name, or drop it first: clvkit audience drop clash --db ${db})\n`);
    const where = await cli(['audience', 'create', '--db', db, '--name', 'clash', '--where', 'frequency >= 2', '--holdout', '0.3', '--idempotent', '--bought-within', '30']);
    expect(where.code).toBe(2);
    expect(where.stderr).toMatch(/^clvkit: error: audience clash already exists, drawn with other inputs: suppression: not given then, \{"recentlyBoughtDays":30\} now; where: "frequency >= 1" then, "frequency >= 2" now \(hint: /);
  });

  it('without --idempotent the name is refused as before, the hint naming the flag', async () => {
    expect((await create('plain')).code).toBe(0);
    const again = await create('plain');
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`clvkit: error: audience plain already exists (hint: choose another --name, or drop it first: clvkit audience drop plain --db ${db}; --idempotent answers the stored audience when the inputs are the same)\n`);
  });
});
