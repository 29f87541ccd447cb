/**
 * Privacy officer's trial (session 40): `clvkit audience show NAME --out aud/list.json --role admin --reveal-ids`
 * audited the export and the re-identification with the path as typed — `file:aud/list.json` — relative to a folder
 * the audit log does not record, so the officer could not tell where the file with original ids and e-mail addresses
 * went (an analysis's files are audited by their absolute paths). Audience files are now audited by absolute path.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { analysedShopWithEmails } from '../helpers/analysed-shop-with-emails.js';

describe('audience files in the audit log', () => {
  it('are named by their absolute path, whatever path was typed', async () => {
    const dir = scratchDir();
    const db = await analysedShopWithEmails(dir);

    // the paths as a user in another folder types them
    const drawn = join(dir, 'drawn.csv');
    const shown = join(dir, 'shown.json');
    const created = await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'orders >= 1', '--holdout', '0.25', '--out', relative(process.cwd(), drawn)]);
    expect(created.code, created.stderr).toBe(0);
    const show = await cli(['audience', 'show', 'all', '--db', db, '--role', 'admin', '--reveal-ids', '--out', relative(process.cwd(), shown)]);
    expect(show.code, show.stderr).toBe(0);

    const entries = JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { action: string; target: string; details: Record<string, unknown> }[];
    // an analyst's draw is audited as export_customers, an admin's export as export_audience
    const exports = entries.filter((e) => e.target === 'audience:all').map((e) => [e.action, e.details.file]);
    expect(exports).toEqual([['export_customers', drawn], ['export_audience', shown]]);
    expect(entries.filter((e) => e.action === 'reidentify').map((e) => e.target)).toEqual([`file:${shown}`]);
  }, 180_000);
});
