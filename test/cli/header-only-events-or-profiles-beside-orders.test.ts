/**
 * `analyze orders.csv --events events.csv` with an event file that is a header alone (or `--customers` with a profile
 * file that is a header alone): the README says a file without data rows beside files with rows is a warning of the
 * ingest and the others are ingested. analyze ingests each kind on its own, so the event (or profile) file was the
 * only file of its kind's ingest and the run was refused (exit 2) — while `clvkit ingest orders.csv events.csv` warned.
 * Now the run goes on as without events (or profiles) and says so among its warnings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir, writeLines } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;
const EVENTS_HEADER = 'session_id,customer_id,anonymous_id,ts,type,product_id,category,query';
const PROFILES_HEADER = 'customer_id,signup_date,acquisition_channel,region,country';

describe('analyze with a header-only --events or --customers file beside order files', () => {
  it.each([
    ['--events', 'events', 'events.csv', EVENTS_HEADER],
    ['--customers', 'profiles', 'customers.csv', PROFILES_HEADER],
  ])('a header-only %s file is a warning, and the run goes on without %s', async (flag, _without, name, header) => {
    const dir = scratchDir();
    const file = writeLines(dir, name, [header]);
    const run = await cli(['analyze', SHOP, flag, file, '--out', join(dir, 'out'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(summary.warnings).toContain(`${file} has a header but no data rows: nothing was ingested from it`);
    if (flag === '--events') expect(summary.events).toBeNull();
    expect(summary.ingest.files.map((f: { source: string }) => f.source)).toEqual([SHOP]);
  });

  it('a header-only order file is still refused, whatever else is given', async () => {
    const dir = scratchDir();
    const orders = writeLines(dir, 'orders.csv', ['customer_id,date,amount']);
    const events = writeLines(dir, 'events.csv', [EVENTS_HEADER]);
    const run = await cli(['analyze', orders, '--events', events, '--out', join(dir, 'out'), '--quiet']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: .*orders\.csv has a header but no data rows.* \(hint: .+\)\n$/);
  });
});
