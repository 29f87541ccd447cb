import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { query, totals, writeMisreadShop } from '../helpers/misread-shop.js';

/**
 * A trial as a data engineer: a file of which every row was quarantined (a day's export of zero-value lines, recorded
 * as the README says, every row with its reason) was dropped after an analysis, and the drop said `the scores,
 * segments and stages still count its rows: marked stale until clvkit analyze … rebuilds them`; `audience create`
 * then said they "still count its rows". They never did: an analysis reads accepted rows (transactions, events,
 * profiles), never the quarantine. Nor had it counted the rows of a file ingested after it was stored (the next day's
 * export, found wrong and dropped): the same note, and an `analyze` asked for that changed nothing. Both drops now leave
 * the analysis current (`derivedStale: false`, no mark, no note); a drop of accepted rows an analysis counted still
 * marks it (drop-ingest.test.ts).
 */

let dir: string;
let base: string;
let dayFirst: string;

beforeAll(() => {
  ({ dir, base, dayFirst } = writeMisreadShop());
});

describe('dropping an ingest the analysis never counted', () => {
  it('every row of it quarantined: leaves the derived tables current, no stale mark, no note in the drop or in audience create', async () => {
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', base, '--db', db, '--quiet'])).code).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-report', '--skip-patterns', '--quiet', '--model', 'bgnbd', '--no-regularity-check']);
    expect(analysed.code, analysed.stderr).toBe(0);

    // ten lines of value 0 of known customers: recorded, every one quarantined as nonpositive_price
    const zero = join(dir, 'zero.csv');
    writeFileSync(zero, ['order_id,customer_id,date,amount', ...Array.from({ length: 10 }, (_, i) => `Z${i + 1},P${i + 1},2023-12-20,0.00`)].join('\n') + '\n');
    const ingested = await cli(['ingest', zero, '--db', db, '--quiet', '--json']);
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(JSON.parse(ingested.stdout)).toMatchObject({ rowsRead: 10, accepted: 0, quarantined: 10, rules: { nonpositive_price: 10 } });
    const before = await totals(db);

    const dropped = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin', '--json']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(JSON.parse(dropped.stdout)).toMatchObject({ ingestId: 2, deleted: { quarantine: 10 }, rows: 10, customersRemoved: 0, derivedStale: false });
    expect(await totals(db)).toEqual({ ...before, quarantine: Number(before.quarantine) - 10 });
    expect(await query(db, "SELECT * FROM warehouse_meta WHERE name = 'derived.stale'")).toEqual([]);

    // the text of the same drop (on a copy: ingest 3) says nothing of stale scores
    expect((await cli(['ingest', zero, '--db', db, '--quiet'])).code).toBe(0);
    const text = await cli(['ingests', 'drop', '3', '--db', db, '--role', 'admin']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^dropped ingest 3 \(zero\.csv, transactions, ingested \d{4}-\d\d-\d\d\): 10 rows deleted \(quarantine 10\)\n/);
    expect(text.stdout).not.toContain('stale');

    const audience = await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'frequency >= 0']);
    expect(audience.code, audience.stderr).toBe(0);
    expect(audience.stderr).not.toContain('still count');
  });

  it('after a file ingested once the analysis was stored: its drop leaves the analysis current; one ingested before it is marked', async () => {
    const db = join(dir, 'later.duckdb');
    expect((await cli(['ingest', base, '--db', db, '--quiet'])).code).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out-later'), '--skip-report', '--skip-patterns', '--quiet', '--model', 'bgnbd', '--no-regularity-check']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const summary = await query(db, 'SELECT * FROM customer_summary ORDER BY customer_id');
    const later = await cli(['ingest', dayFirst, '--db', db, '--quiet', '--json']);
    expect(later.code, later.stderr).toBe(0);
    expect(JSON.parse(later.stdout).accepted).toBeGreaterThan(100);

    const dropped = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin', '--json']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(JSON.parse(dropped.stdout)).toMatchObject({ ingestId: 2, derivedStale: false });
    expect(await query(db, "SELECT * FROM warehouse_meta WHERE name = 'derived.stale'")).toEqual([]);
    // the analysis is the one stored before the ingest: the same rows
    expect(await query(db, 'SELECT * FROM customer_summary ORDER BY customer_id')).toEqual(summary);

    // the file ingested again, analysed with it, then dropped: the analysis counted it, and is marked
    expect((await cli(['ingest', dayFirst, '--db', db, '--quiet'])).code).toBe(0);
    const again = await cli(['analyze', '--db', db, '--out', join(dir, 'out-later'), '--skip-report', '--skip-patterns', '--quiet', '--model', 'bgnbd', '--no-regularity-check']);
    expect(again.code, again.stderr).toBe(0);
    const counted = await cli(['ingests', 'drop', '3', '--db', db, '--role', 'admin']);
    expect(counted.code, counted.stderr).toBe(0);
    expect(counted.stdout).toContain('the scores, segments and stages still count its rows: marked stale until clvkit analyze');
  });
});
