/**
 * An empty audience (session 43, review): its text summary said "measured over 30 days: its control group is held
 * back from other draws until then" of an audience nothing was stored for, and with `--format json` the warning said
 * the file "holds its header alone" of a file that holds `[]`. The summary says nothing was stored, and the warning
 * names what the file holds in its format.
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

describe('an empty audience', () => {
  it('its text summary says nothing was stored, not how its control group is held back', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'frequency > 1000', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/held back/);
    expect(run.stdout).toMatch(/\n {2}send date {2}\d{4}-\d\d-\d\d \(scores as of \d{4}-\d\d-\d\d\); nothing stored: an audience of nobody is neither sent nor measured\n/);
  });

  it('with --format json the warning says the file holds an empty list', async () => {
    const out = join(dir, 'nobody.json');
    const run = await cli(['audience', 'create', '--db', db, '--name', 'nobody', '--where', 'frequency > 1000', '--out', out, '--format', 'json', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim()).toBe('[]');
    expect(JSON.parse(run.stdout).warnings[0]).toMatch(new RegExp(`: nothing stored; ${out.replace(/[.]/g, '\\.')} holds an empty list \\(\\[\\]\\) \\(hint: `));
  });
});
