/**
 * A data engineer's nightly job (session 43, review): `audience create --idempotent` (and `playbook --idempotent
 * --prefix P`) without --send-date stored the send date as "not given", so the next night's run — after new data was
 * ingested and analysed — matched the first night's inputs and silently answered the first night's audience (its old
 * send date and scores, `reused: true`). The send date the draw resolved and the date its scores describe are stored
 * with its inputs, and a run again whose resolved dates differ is refused (exit 2) naming them.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

let db: string;
let config: string;
let first: { sendDate: string; scoresAsOf: string };
let firstPlan: { code: number; stderr: string };

beforeAll(async () => {
  db = await smallAnalysedShop();
  const dir = dirname(db);
  config = join(dir, 'nightly.json');
  writeFileSync(config, JSON.stringify({ plays: [{ name: 'all', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, holdout: 0.3 }] }));
  const drawn = await cli(['audience', 'create', '--db', db, '--name', 'nightly', '--where', 'frequency >= 1', '--holdout', '0.3', '--idempotent', '--json']);
  expect(drawn.code, drawn.stderr).toBe(0);
  first = JSON.parse(drawn.stdout);
  firstPlan = await cli(['playbook', '--db', db, '--config', config, '--out', join(dir, 'plan1'), '--prefix', 'nightly-', '--idempotent', '--json']);
  expect(firstPlan.code, firstPlan.stderr).toBe(0);
  // the next night: new orders ingested and analysed
  const orders = join(dir, 'january.csv');
  writeFileSync(orders, 'order_id,customer_id,date,amount\n' + Array.from({ length: 20 }, (_, i) => `J${i},P${i + 1},2024-01-${String(2 + i).padStart(2, '0')},20.00`).join('\n') + '\n');
  expect((await cli(['ingest', orders, '--db', db, '--quiet'])).code).toBe(0);
  const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out2'), '--skip-report', '--skip-patterns', '--no-regularity-check', '--quiet']);
  expect(analysed.code, analysed.stderr).toBe(0);
}, 300_000);

describe('--idempotent on a later night', () => {
  it('audience create: refused, naming the send date and the scores that differ', async () => {
    expect(first.sendDate).toMatch(/^2023-12-\d\d$/);
    const again = await cli(['audience', 'create', '--db', db, '--name', 'nightly', '--where', 'frequency >= 1', '--holdout', '0.3', '--idempotent', '--json']);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      `clvkit: error: audience nightly already exists, drawn with other inputs: sendDate: not given (${first.sendDate}) then, not given (2024-01-22) now; scoresAsOf: "${first.scoresAsOf}" then, "2024-01-21" now (hint: the same inputs answer the stored audience; for these choose another --name, or drop it first: clvkit audience drop nightly --db ${db})\n`,
    );
  });

  it('audience create with the first night\'s send date given: still refused, the scores differ', async () => {
    const again = await cli(['audience', 'create', '--db', db, '--name', 'nightly', '--where', 'frequency >= 1', '--holdout', '0.3', '--idempotent', '--send-date', first.sendDate]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^clvkit: error: audience nightly already exists, drawn with other inputs: sendDate: not given \(\d{4}-\d\d-\d\d\) then, "\d{4}-\d\d-\d\d" now; scoresAsOf: "\d{4}-\d\d-\d\d" then, "2024-01-21" now \(hint: /);
  });

  it('playbook with a fixed --prefix: refused, naming the dates', async () => {
    const again = await cli(['playbook', '--db', db, '--config', config, '--out', join(dirname(db), 'plan2'), '--prefix', 'nightly-', '--idempotent', '--json']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`^clvkit: error: audience nightly-all already exists, drawn with other inputs: sendDate: not given \\(${first.sendDate}\\) then, not given \\(2024-01-22\\) now; scoresAsOf: "${first.scoresAsOf}" then, "2024-01-21" now \\(hint: the same inputs answer the stored plan; `));
  });
});
