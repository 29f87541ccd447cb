import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { audit, query, totals, writeMisreadShop } from '../helpers/misread-shop.js';

/**
 * A user trial: a file ingested with the wrong reading options (dates read month-first when they were day-first) could
 * never be removed or read again — ingesting it again said "already ingested … nothing added", and no command dropped
 * one ingest. `clvkit ingests list` / `ingests drop ID` do; the warehouse's totals after a drop are those it had before
 * the ingest.
 */

let dir: string;
let base: string;
let dayFirst: string;

beforeAll(() => {
  ({ dir, base, dayFirst } = writeMisreadShop());
});

describe('clvkit ingests drop', () => {
  it('gives back the totals the warehouse had before the ingest, removes the derived rows of its customers, marks the scores stale, audits, and lets the file be read again', async () => {
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', base, '--db', db, '--map', 'email=email'])).code).toBe(0);
    const before = await totals(db);
    expect(before).toMatchObject({ transactions: 600, customer_reid: 200, customers: 200, emails: 200, quarantine: 0, last_ts: expect.stringMatching(/^2023-12/) });

    // the wrong read: day-first dates read month-first — days over 12 quarantined, the rest on swapped days
    const wrong = await cli(['ingest', dayFirst, '--db', db, '--date-format', '%m/%d/%Y']);
    expect(wrong.code, wrong.stderr).toBe(0);
    const misread = await totals(db);
    expect(misread.quarantine).toBeGreaterThan(100);
    // customers of wrong.csv new to the warehouse with a row accepted (those whose rows all went to quarantine have no record)
    const added = Number(misread.customer_reid) - 200;
    expect(added).toBeGreaterThan(20);
    // analysed on the wrong data: the derived tables count it (the scores and churn tables too: one purchase model, no
    // tournament of models, which this test is not about)
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-report', '--skip-patterns', '--quiet', '--model', 'bgnbd', '--no-regularity-check']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const summarised = Number((await query(db, 'SELECT count(*) AS n FROM customer_summary'))[0]!.n);
    expect(summarised).toBeGreaterThan(200);

    // read again with the right format: held already, nothing added — and the report says how to read it again
    const again = await cli(['ingest', dayFirst, '--db', db, '--date-format', '%d/%m/%Y']);
    expect(again.stdout).toMatch(/already ingested \(same content, sha256 [0-9a-f]{12}…, ingest 2\): nothing added; .* — to read it again with these options: clvkit ingest --replace --role admin \(or clvkit ingests drop 2, then ingest it\)\n/);

    // the list shows what each ingest brought and how its dates were read
    const listed = JSON.parse((await cli(['ingests', 'list', '--db', db, '--json'])).stdout);
    expect(listed).toMatchObject([
      { ingestId: 1, source: 'base.csv', kind: 'transactions', accepted: 600, held: { transactions: 600 }, droppedAt: null },
      { ingestId: 2, source: 'wrong.csv', kind: 'transactions', dateFormats: ['%m/%d/%Y'], droppedAt: null },
    ]);
    const text = (await cli(['ingests', 'list', '--db', db])).stdout;
    expect(text.split('\n')[0]).toMatch(/^id +ingested \(UTC\) +kind +read +accepted +quarantined +rows held now +dates read as +file$/);
    expect(text).toMatch(/\n 2 .* %m\/%d\/%Y +\S+\/wrong\.csv\n/); // by the path ingest printed

    // a destructive admin action: an analyst is refused, nothing changes
    const refused = await cli(['ingests', 'drop', '2', '--db', db]);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toBe('clvkit: error: role analyst may not drop_ingest (remove the rows one ingested file brought, to read it again with other options) (hint: roles allowed: admin; if you act as admin, pass --role admin)\n');
    expect(Number((await query(db, 'SELECT count(*) AS n FROM transactions WHERE ingest_id = 2'))[0]!.n)).toBeGreaterThan(0);

    const dropped = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin', '--actor', 'dana']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stdout).toMatch(new RegExp(`^dropped ingest 2 \\(wrong\\.csv, transactions, ingested \\d{4}-\\d\\d-\\d\\d\\): [\\d,]+ rows deleted \\(customer_reid ${added}, customer_churn ${added}, .*customer_summary ${added}, customer_value_tiers ${added}, transactions \\d+, quarantine \\d+\\)\n`));
    expect(dropped.stdout).toContain(`\n  ${added} customers of whom nothing else was held: gone from every table (customer_reid, contact data, derived rows)\n`);
    expect(dropped.stdout).toContain(`the scores, segments and stages still count its rows: marked stale until clvkit analyze --db ${db} rebuilds them`);
    expect(dropped.stdout).toContain(`the file can be ingested again: clvkit ingest ${dayFirst} --db ${db}`); // by the path ingest printed
    // exactly the totals before the ingest: its transactions and quarantined rows, its new customers' records and derived rows
    expect(await totals(db)).toEqual(before);
    expect(Number((await query(db, 'SELECT count(*) AS n FROM customer_summary'))[0]!.n)).toBe(200);
    const [entry] = (await audit(db)).filter((e) => e.action === 'drop_ingest');
    expect(entry).toMatchObject({ actor: 'dana', role: 'admin', target: 'ingest:2', details: { ingest_id: 2, source: 'wrong.csv', reason: 'drop', customers_removed: added, derived_tables_stale: true } });
    expect(entry!.rowCounts.transactions).toBe(listed[1].held.transactions);
    expect(entry!.rowCounts.quarantine).toBe(listed[1].held.quarantine);

    // the scores still count the dropped rows: an audience drawn on them says so
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'frequency >= 0']);
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(drawn.stderr).toContain(`clvkit: the scores, segments and stages describe the data before ingest 2 (wrong.csv) was dropped on `);
    expect(drawn.stderr).toContain(`run clvkit analyze --db ${db} to rebuild them`);

    // dropped already: one line; the list says when
    const twice = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^clvkit: error: ingest 2 \(wrong\.csv\) was dropped on \d{4}-\d\d-\d\d already: nothing of it is held \(hint: ingest the file again: clvkit ingest wrong\.csv --db .*\)\n$/);
    expect(JSON.parse((await cli(['ingests', 'list', '--db', db, '--json'])).stdout)[1]).toMatchObject({ ingestId: 2, held: {}, droppedAt: expect.stringMatching(/^\d{4}-/) });

    // the same file, read right: a new ingest, every row accepted on its day
    const right = await cli(['ingest', dayFirst, '--db', db, '--date-format', '%d/%m/%Y', '--json']);
    expect(right.code, right.stderr).toBe(0);
    const report = JSON.parse(right.stdout);
    expect(report.files[0]).toMatchObject({ alreadyIngested: false, ingestId: 3, quarantined: 0, accepted: report.rowsRead });
    expect((await totals(db)).last_ts).toMatch(/^2024-02-/);

    // the next analysis rewrites the derived tables: the stale mark goes (the mark is cleared where the run publishes,
    // models or not: recompute-without-erased.ts)
    expect((await cli(['analyze', '--db', db, '--out', join(dir, 'out2'), '--skip-report', '--skip-patterns', '--quiet', '--skip-models'])).code).toBe(0);
    expect(await query(db, "SELECT * FROM warehouse_meta WHERE name = 'derived.stale'")).toEqual([]);
    const redrawn = await cli(['audience', 'create', '--db', db, '--name', 'all-again', '--where', 'frequency >= 0']);
    expect(redrawn.stderr).not.toContain('dropped');
  }, 120_000);

  it('refuses an unknown id, a bad id and a warehouse without the ingest in one line', async () => {
    const db = join(dir, 'ids.duckdb');
    expect((await cli(['ingest', base, '--db', db])).code).toBe(0);
    expect(await cli(['ingests', 'drop', '7', '--db', db, '--role', 'admin'])).toEqual({ code: 2, stdout: '', stderr: `clvkit: error: this warehouse has no ingest 7 (hint: clvkit ingests list --db ${db} lists the ingests with their ids)\n` });
    expect(await cli(['ingests', 'drop', 'x1', '--db', db, '--role', 'admin'])).toEqual({ code: 2, stdout: '', stderr: 'clvkit: error: ingest id "x1" is not a whole number ≥ 1 (hint: clvkit ingests list --db PATH lists the ingests with their ids)\n' });
    expect((await cli(['ingests', 'drop', '1', '--db', join(dir, 'none.duckdb'), '--role', 'admin'])).code).toBe(2);
  });
});

describe('a drop and what it does not undo', () => {
  it('customers erased since stay erased: the file is refused again, --leave-out-erased reads it without their rows', async () => {
    const db = join(dir, 'erased.duckdb');
    expect((await cli(['ingest', base, '--db', db])).code).toBe(0);
    expect((await cli(['ingest', dayFirst, '--db', db, '--date-format', '%m/%d/%Y'])).code).toBe(0);
    expect((await cli(['erase', 'P255', '--db', db, '--role', 'admin'])).code).toBe(0);
    const dropped = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin', '--json']);
    expect(dropped.code, dropped.stderr).toBe(0);
    const result = JSON.parse(dropped.stdout);
    expect(result.notHeld.transactions).toBeGreaterThan(0); // P255's rows went with the erasure
    expect(result.warnings[0]).toMatch(/were no longer held \(erased, purged by retention\): customers erased stay erased, so ingesting the file again is refused while it holds rows of theirs — clvkit ingest --leave-out-erased leaves those rows out$/);
    expect(Number((await query(db, 'SELECT count(*) AS n FROM erased_customers'))[0]!.n)).toBe(1);
    const refused = await cli(['ingest', dayFirst, '--db', db, '--date-format', '%d/%m/%Y']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/clvkit: error: wrong\.csv holds rows of 1 customer erased from this warehouse before; nothing of this file was added/);
    const read = await cli(['ingest', dayFirst, '--db', db, '--date-format', '%d/%m/%Y', '--leave-out-erased', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout).rules.erased_customer).toBeGreaterThan(0);
    expect(await query(db, "SELECT count(*) AS n FROM transactions t JOIN erased_customers e ON e.token = t.customer_id")).toEqual([{ n: 0 }]);
  }, 60_000);

  it('is refused while a later ingest left out rows as copies of its rows (overlapping exports): that one is dropped first', async () => {
    const db = join(dir, 'overlap.duckdb');
    const [february, first, second, slashes] = ['february.csv', 'first.csv', 'second.csv', 'slashes.csv'].map((f) => join(dir, f));
    const line = (i: number, date = (d: number) => `2024-01-${String(d).padStart(2, '0')}`) => `O${i},C${i % 7},${date(1 + (i % 28))},${i}.5`;
    const write = (path: string, lines: string[]) => writeFileSync(path, ['order_id,customer_id,date,amount', ...lines].join('\n') + '\n');
    write(february, Array.from({ length: 20 }, (_, i) => line(100 + i, (d) => `2024-02-${String(d).padStart(2, '0')}`))); // the same customers, other orders
    write(first, Array.from({ length: 20 }, (_, i) => line(i)));
    write(second, Array.from({ length: 20 }, (_, i) => line(i + 10))); // lines 10–19 of first.csv again
    expect((await cli(['ingest', february, first, '--db', db])).code).toBe(0);
    const overlapping = JSON.parse((await cli(['ingest', second, '--db', db, '--json'])).stdout);
    expect(overlapping.rules.duplicate).toBe(10);
    const refused = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`clvkit: error: ingest 2 (first.csv) is not dropped: later ingest 3 (second.csv: 10 rows) left out rows as copies of rows the warehouse held — copies of its rows, perhaps, which no ingest would hold once it went (hint: drop the later ingest first (clvkit ingests drop 3 --db ${db}), then this one, and ingest the files again in their order)\n`);
    // February's rows are of the same customers, but none of them was copied: dropped at once
    const feb = await cli(['ingests', 'drop', '1', '--db', db, '--role', 'admin', '--json']);
    expect(feb.code, feb.stderr).toBe(0);
    expect(JSON.parse(feb.stdout).deleted).toEqual({ transactions: 20 });
    expect((await cli(['ingests', 'drop', '3', '--db', db, '--role', 'admin'])).code).toBe(0);
    expect((await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin'])).code).toBe(0);
    expect(await totals(db)).toMatchObject({ transactions: 0, quarantine: 0, customer_reid: 0 });
    const reread = JSON.parse((await cli(['ingest', first, second, '--db', db, '--json'])).stdout);
    expect(reread).toMatchObject({ accepted: 30, rules: { duplicate: 10 } });
    // an overlapping file whose dates were read otherwise (the first month-first, the later one day-first): the copies
    // have another time than the rows they copy, so any copy of a customer of the first counts
    const misread = join(dir, 'misread.duckdb');
    const ddmm = (d: number) => `0${1 + (d % 9)}/01/2024`;
    write(first, Array.from({ length: 20 }, (_, i) => line(i, ddmm)));
    write(second, Array.from({ length: 20 }, (_, i) => line(i + 10, ddmm)));
    expect((await cli(['ingest', first, '--db', misread, '--date-format', '%m/%d/%Y'])).code).toBe(0);
    expect(JSON.parse((await cli(['ingest', second, '--db', misread, '--date-format', '%d/%m/%Y', '--json'])).stdout).rules.duplicate).toBe(10);
    const misreadRefused = await cli(['ingests', 'drop', '1', '--db', misread, '--role', 'admin']);
    expect(misreadRefused.code).toBe(2);
    expect(misreadRefused.stderr).toMatch(/^clvkit: error: ingest 1 \(first\.csv\) is not dropped: later ingest 2 \(second\.csv: 10 rows\)/);
  }, 60_000);

  it('a profile file: the profiles it wrote go (its rows: a file appends a row per customer), a customer who stays keeps contact data another file gave', async () => {
    const db = join(dir, 'profiles.duckdb');
    expect((await cli(['ingest', base, '--db', db, '--map', 'email=email'])).code).toBe(0);
    const profiles = join(dir, 'profiles.csv');
    // P1 and P2 are buyers with an e-mail (from base.csv); P900 is known only from this file
    writeFileSync(profiles, 'customer_id,signup_date,acquisition_channel\nP1,2022-05-01,search\nP2,2022-06-01,social\nP900,2024-01-01,search\n');
    const before = await totals(db);
    expect((await cli(['ingest', profiles, '--db', db, '--kind', 'customers'])).code).toBe(0);
    expect((await totals(db)).customers).toBe(203); // the e-mails' 200 rows and the file's 3
    const dropped = JSON.parse((await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin', '--json'])).stdout);
    expect(dropped).toMatchObject({ kind: 'customers', customersRemoved: 1, profilesCleared: 0, deleted: { customers: 3, customer_reid: 1 } });
    expect(await totals(db)).toEqual(before);
    expect(await query(db, 'SELECT count(*) AS n FROM customers WHERE signup_ts IS NOT NULL OR acquisition_channel IS NOT NULL OR ingest_id IS NOT NULL')).toEqual([{ n: 0 }]);
  }, 60_000);

  // Regression: a profile file with two lines of one customer writes one customers row for them, and its drop said
  // '1 customers row of this ingest was no longer held (erased, purged by retention, or rewritten by a later profile file)'
  it('a profile file with several lines of one customer: its drop finds every row it wrote, and says nothing is missing', async () => {
    const db = join(dir, 'profile-lines.duckdb');
    expect((await cli(['ingest', base, '--db', db])).code).toBe(0);
    const profiles = join(dir, 'profile-lines.csv');
    writeFileSync(profiles, 'customer_id,signup_date,country\nP1,2022-05-01,DE\nP1,2022-05-01,AT\nP2,2022-06-01,FR\n');
    const ingested = JSON.parse((await cli(['ingest', profiles, '--db', db, '--kind', 'customers', '--json'])).stdout);
    expect(ingested.files[0]).toMatchObject({ accepted: 3, customersWritten: 2 });
    const [entry] = (await audit(db)).filter((e) => e.action === 'ingest' && e.details.kind === 'customers');
    expect(entry!.rowCounts).toMatchObject({ rows_read: 3, customers: 2 });
    const dropped = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin']);
    expect(dropped.stdout).toContain('2 rows deleted (customers 2)');
    expect(dropped.stdout).not.toContain('no longer held');
  }, 60_000);
});

describe('dropping an earlier ingest', () => {
  it('keeps the customers a later ingest holds rows of, and their contact data: only those of whom nothing else is held go', async () => {
    const db = join(dir, 'earlier.duckdb');
    expect((await cli(['ingest', base, '--db', db, '--map', 'email=email'])).code).toBe(0);
    const later = JSON.parse((await cli(['ingest', dayFirst, '--db', db, '--json'])).stdout);
    const dropped = JSON.parse((await cli(['ingests', 'drop', '1', '--db', db, '--role', 'admin', '--json'])).stdout);
    // P1–P149 had rows in base.csv only; P150–P200 have rows of wrong.csv too, and keep the e-mail base.csv gave them
    expect(dropped).toMatchObject({ customersRemoved: 149, deleted: { transactions: 600, customer_reid: 149, customers: 149 } });
    expect(dropped.warnings).toEqual(['the contact data this file gave 51 customers with rows from other files is kept (a drop does not take contact data back); ingesting the file again writes it anew']);
    expect(await totals(db)).toMatchObject({ transactions: later.accepted, customer_reid: 111, buyers: 111, customers: 51, emails: 51 });
  }, 60_000);
});
