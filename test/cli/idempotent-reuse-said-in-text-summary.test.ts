/**
 * A nightly job (session 43, review): without --json, a reused answer of `audience create --idempotent` or `playbook
 * --idempotent` looked exactly like a fresh draw on stdout, and --quiet muted the one note on stderr saying it was
 * not. The text summaries now say so in a line of their own, with when the answer was drawn.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
}, 180_000);

const REUSED = /\nreused: answered as stored \(--idempotent\), drawn (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z); nothing drawn again\n/;

describe('a reused answer in the text summary', () => {
  it('audience create: a line saying so, under --quiet too; none for a draw', async () => {
    const create = (...extra: string[]) => cli(['audience', 'create', '--db', db, '--name', 'texty', '--where', 'frequency >= 1', '--holdout', '0.3', '--idempotent', ...extra]);
    const first = await create();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toMatch(/reused/);
    const again = await create('--quiet');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    const shown = JSON.parse((await cli(['audience', 'show', 'texty', '--db', db, '--json'])).stdout) as { createdAt: string };
    expect(again.stdout.match(REUSED)?.[1]).toBe(shown.createdAt);
    const json = JSON.parse((await create('--json')).stdout);
    expect(json.drawnAt).toBe(shown.createdAt);
  });

  it('playbook: a line saying so, under --quiet too; none for a draw', async () => {
    const config = join(dirname(db), 'texty.json');
    writeFileSync(config, JSON.stringify({ plays: [{ name: 'all', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, holdout: 0.3 }] }));
    const run = (out: string, ...extra: string[]) => cli(['playbook', '--db', db, '--config', config, '--out', join(dirname(db), out), '--prefix', 'texty-', '--idempotent', ...extra]);
    const first = await run('p1');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toMatch(/reused/);
    const again = await run('p2', '--quiet');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(REUSED);
    expect(JSON.parse((await run('p3', '--json')).stdout).drawnAt).toBe(again.stdout.match(REUSED)![1]);
  });
});
