/**
 * Privacy officer's trial (session 40): after `clvkit erase`, the audience files exported from the warehouse — one
 * with the customer's original id and e-mail address (`audience show --out … --role admin --reveal-ids`) — still held
 * them, and the erase named only the --out folders of recorded analyses, then "exported audience files" in general.
 * The audit log records every audience export with its file: the erase now names those still on this machine that
 * hold an erased customer's token, as it names the --out folders (a file that no longer exists, or never held the
 * customer, is not named).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { analysedShopWithEmails } from '../helpers/analysed-shop-with-emails.js';

describe('erase names the exported audience files that hold the customer', () => {
  it('in the text and in --json (audienceFilesNotReached)', async () => {
    const dir = scratchDir();
    const db = await analysedShopWithEmails(dir);

    const everyone = join(dir, 'everyone.csv');
    const revealed = join(dir, 'revealed.json');
    const repeaters = join(dir, 'repeaters.csv');
    const gone = join(dir, 'gone.csv');
    expect((await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'orders >= 1', '--holdout', '0.25', '--out', everyone])).code).toBe(0);
    expect((await cli(['audience', 'show', 'all', '--db', db, '--role', 'admin', '--reveal-ids', '--out', revealed])).code).toBe(0);
    expect((await cli(['audience', 'create', '--db', db, '--name', 'repeaters', '--where', 'orders >= 2', '--holdout', '0.25', '--out', repeaters])).code).toBe(0);
    expect((await cli(['audience', 'show', 'all', '--db', db, '--out', gone])).code).toBe(0);
    rmSync(gone);

    const erased = await cli(['erase', 'P3', '--db', db, '--role', 'admin']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout.split('\n')).toContain(
      `not reached: 2 audience files exported from here, on this machine, that hold these customers (the audit log records their export): ${everyone}, ${revealed}`,
    );
    expect(erased.stdout).not.toContain(repeaters);

    const json = await cli(['erase', 'P1', '--db', db, '--role', 'admin', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).audienceFilesNotReached).toEqual([everyone, repeaters, revealed]);
  }, 180_000);
});
