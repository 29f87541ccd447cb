/**
 * `playbook --idempotent` (session 43, review): (a) after an erasure the reused plan said the members, treatment and
 * control of the draw while the files written held the members now; (b) the stored plans were matched by prefix and
 * inputs alone and never removed by `audience drop`, so after a drop, a draw again and a run that stopped before it
 * stored its plan, --idempotent answered the older run's plan for the newer audiences. A run id is stamped in each
 * audience's request and in its plan: only the plan of the run that drew the audiences taken answers, and a dropped
 * audience takes the plans naming it away. The refusal of a run that stopped names every audience to drop.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

let db: string;
let config: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
  config = join(dirname(db), 'own-run.json');
  writeFileSync(config, JSON.stringify({ plays: [{ name: 'loyal', where: 'frequency >= 2', costPerContact: 1, expectedLift: 0.1, holdout: 0.3 }, { name: 'rest', where: 'TRUE', costPerContact: 0.5, expectedLift: 0.05, holdout: 0.3 }] }));
}, 180_000);

const run = (prefix: string, out: string) => cli(['playbook', '--db', db, '--config', config, '--out', join(dirname(db), out), '--prefix', prefix, '--idempotent', '--json']);
type Plan = { plays: { play: string; audience: string | null; members: number; treatment: number; control: number }[]; totals: { members: number }; warnings: string[]; reused: boolean };

/** Runs SQL on the warehouse file as a run that stopped before its end leaves it. */
async function sql<T>(text: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(db);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(text)).getRowObjects() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('playbook --idempotent answers the plan of the run that drew the audiences', () => {
  it('after an erasure: the plays as their audiences hold them now, saying what changed', async () => {
    const first = await run('erased-', 'e1');
    expect(first.code, first.stderr).toBe(0);
    const drawn = JSON.parse(first.stdout) as Plan;
    expect((await cli(['erase', 'P1', '--db', db, '--role', 'admin'])).code).toBe(0);
    const again = await run('erased-', 'e2');
    expect(again.code, again.stderr).toBe(0);
    const reused = JSON.parse(again.stdout) as Plan;
    const removed: number[] = [];
    for (const name of ['erased-loyal', 'erased-rest']) {
      const now = JSON.parse((await cli(['audience', 'show', name, '--db', db, '--json'])).stdout) as { members: number; treatment: number; control: number };
      const play = reused.plays.find((p) => p.audience === name)!;
      expect([play.members, play.treatment, play.control]).toEqual([now.members, now.treatment, now.control]);
      const before = drawn.plays.find((p) => p.audience === name)!;
      const note = `the audience ${name} holds ${now.members} members now, ${before.members} when the plan was drawn (erasure or retention took them out since): the plan's costs and values are as drawn`;
      // P1 was in one play (a customer is in one play at most): that one says so
      if (now.members !== before.members) (removed.push(before.members - now.members), expect(reused.warnings).toContain(note));
      else expect(reused.warnings).not.toContain(note);
      expect(readFileSync(join(dirname(db), 'e2', `${play.play}.csv`), 'utf8').trimEnd().split('\n')).toHaveLength(now.members + 1);
    }
    expect(removed).toEqual([1]);
    expect(reused.totals.members).toBe(drawn.totals.members - 1);
  });

  it('dropped, drawn again and stopped before its plan was stored: refused, not the older plan; every name to drop listed', async () => {
    expect((await run('own-', 'o1')).code).toBe(0);
    for (const name of ['own-loyal', 'own-rest']) expect((await cli(['audience', 'drop', name, '--db', db])).code).toBe(0);
    expect((await run('own-', 'o2')).code).toBe(0);
    // the second run stopped before storing its plan: its row gone, its audiences there
    await sql(`DELETE FROM playbook_runs WHERE rowid = (SELECT max(rowid) FROM playbook_runs WHERE prefix = 'own-')`);
    const again = await run('own-', 'o3');
    expect(again.code, again.stdout).toBe(2);
    expect(again.stderr).toBe(`clvkit: error: the audiences own-loyal, own-rest of a run of this playbook with the same inputs exist, but no plan of that run is stored (it stopped before storing it, or one of its audiences was dropped since) (hint: drop them (clvkit audience drop own-loyal --db ${db}; clvkit audience drop own-rest --db ${db}) and run it again, or pass another --prefix)\n`);
  });

  it('audience drop removes the stored plans naming the dropped audience', async () => {
    expect((await run('gone-', 'g1')).code).toBe(0);
    expect((await cli(['audience', 'drop', 'gone-rest', '--db', db])).code).toBe(0);
    expect(await sql(`SELECT count(*)::INTEGER AS n FROM playbook_runs WHERE prefix = 'gone-'`)).toEqual([{ n: 0 }]);
  });
});
