/**
 * Privacy officer's trial (session 40): `clvkit audience show NAME --out aud/list.json --role admin --reveal-ids`
 * audited the export and the re-identification with the path as typed — `file:aud/list.json` — relative to a folder
 * the audit log does not record, so the officer could not tell where the file with original ids and e-mail addresses
 * went (an analysis's files are audited by their absolute paths). Audience files are now audited by absolute path.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('audience files in the audit log', () => {
  it('are named by their absolute path, whatever path was typed', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const lines = ['order_id,customer_id,email,date,amount'];
    for (let c = 1; c <= 40; c++) for (let k = 0; k <= c % 3; k++) lines.push(`O${c}-${k},P${c},p${c}@example.com,2023-0${1 + ((c + k) % 9)}-1${k},${(10 + c).toFixed(2)}`);
    writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'orders.csv'), '--db', db, '--map', 'email=email'])).code).toBe(0);
    expect((await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-report', '--skip-patterns', '--skip-models', '--quiet'])).code).toBe(0);

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
