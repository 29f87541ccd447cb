/**
 * Privacy officer's trial (session 40): a marketer sees customers only by their tokens (audience files, plan.csv,
 * the API), so the unsubscribes they keep are tokens; `clvkit playbook --opt-out` pseudonymised every line as an
 * original id, a token gave a token nobody has, and the opted-out customers were drawn into treatment groups — to be
 * contacted. A list of tokens only got a warning ("leaves nobody out"), a list mixing ids and tokens nothing. A line
 * that is a token (as erase reads one: white space and capitals aside) is now that customer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = scratchDir();
  db = join(dir, 'shop.duckdb');
  expect((await cli(['synth', '--customers', '300', '--seed', '5', '--out', join(dir, 'shop'), '--no-events', '--quiet'])).code).toBe(0);
  expect((await cli(['ingest', join(dir, 'shop', 'transactions.csv'), '--db', db, '--quiet'])).code).toBe(0);
  expect((await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--quiet', '--skip-report', '--skip-patterns'])).code).toBe(0);
}, 120_000);

describe('playbook --opt-out with customer tokens', () => {
  it('leaves out the customers listed by token as those listed by id', async () => {
    const lines = readFileSync(join(dir, 'shop', 'transactions.csv'), 'utf8').trim().split('\n').slice(1);
    const ids = [...new Set(lines.map((line) => line.split(',')[1]!).filter(Boolean))].slice(0, 60);
    const token = createPseudonymiser(readKeyFile(`${db}.key`));
    // 30 by their id, 20 by their token as clvkit shows it, 10 by their token as pasted (a trailing space, capitals)
    const listed = [...ids.slice(0, 30), ...ids.slice(30, 50).map((id) => token(id)), ...ids.slice(50).map((id, i) => (i % 2 ? `${token(id)} ` : token(id).toUpperCase()))];
    writeFileSync(join(dir, 'optout.txt'), listed.join('\n') + '\n');
    writeFileSync(join(dir, 'everyone.json'), JSON.stringify({ plays: [{ name: 'everyone', where: 'TRUE', holdout: 0.1, costPerContact: 1, expectedLift: 0.1 }] }));

    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'everyone.json'), '--out', join(dir, 'plan'), '--json', '--prefix', 'optout-', '--role', 'marketer', '--opt-out', join(dir, 'optout.txt')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/opt-out list: 60 ids, 60 of them customers of the warehouse/);
    const plan = JSON.parse(run.stdout) as { totals: { suppressed: { optedOut: number } } };
    expect(plan.totals.suppressed.optedOut).toBe(60);

    const optedOut = new Set(ids.map((id) => token(id)));
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const members = (await warehouse.query("SELECT customer_id FROM audience_members WHERE audience LIKE 'optout-%'")).map((r) => String(r.customer_id));
      expect(members.length).toBeGreaterThan(100);
      expect(members.filter((t) => optedOut.has(t))).toEqual([]);
    } finally {
      await warehouse.close();
    }
  }, 120_000);
});
