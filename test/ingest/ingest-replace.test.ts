import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { audit, query, totals, writeMisreadShop } from '../helpers/misread-shop.js';

/**
 * A user trial: a file read with the wrong options could not be read again ("already ingested … nothing added").
 * `ingest --replace` drops the ingest holding the same content and reads the file again in one transaction.
 */

let dir: string;
let base: string;
let dayFirst: string;

beforeAll(() => {
  ({ dir, base, dayFirst } = writeMisreadShop());
});

describe('clvkit ingest --replace', () => {
  it('drops the ingest of the same content and reads the file again in one transaction: all, or — when the new read fails — nothing', async () => {
    const db = join(dir, 'replace.duckdb');
    expect((await cli(['ingest', base, '--db', db])).code).toBe(0);
    const wrong = await cli(['ingest', dayFirst, '--db', db, '--date-format', '%m/%d/%Y', '--json']);
    const wrongReport = JSON.parse(wrong.stdout);
    const held = await totals(db);
    // an analyst may not replace (it drops)
    const analyst = await cli(['ingest', dayFirst, '--db', db, '--replace', '--date-format', '%d/%m/%Y']);
    expect(analyst.code).toBe(2);
    expect(analyst.stderr).toMatch(/^clvkit: error: role analyst may not drop_ingest/);
    // a new read that accepts nothing is refused: the drop is rolled back with it
    const failed = await cli(['ingest', dayFirst, '--db', db, '--replace', '--role', 'admin', '--date-format', '%Y.%m.%d']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/\nclvkit: error: no row of wrong\.csv could be accepted/);
    expect(await totals(db)).toEqual(held);
    expect(await query(db, 'SELECT * FROM dropped_ingests')).toEqual([]);
    // replaced: the old ingest dropped, the file read with the new options
    const replaced = await cli(['ingest', dayFirst, '--db', db, '--replace', '--role', 'admin', '--date-format', '%d/%m/%Y', '--json']);
    expect(replaced.code, replaced.stderr).toBe(0);
    const result = JSON.parse(replaced.stdout);
    expect(result.replaced).toMatchObject([{ ingestId: 2, source: 'wrong.csv', deleted: { transactions: wrongReport.accepted, quarantine: wrongReport.quarantined } }]);
    expect(result.files[0]).toMatchObject({ ingestId: 3, alreadyIngested: false, quarantined: 0, accepted: wrongReport.rowsRead });
    expect(result.files[0].warnings[0]).toMatch(/^replaces ingest 2 of the same file \([\d,]+ rows dropped\)$/);
    const after = await totals(db);
    expect(after.transactions).toBe(600 + wrongReport.rowsRead);
    expect(after.customer_reid).toBe(260);
    expect((await audit(db)).map((e) => [e.action, e.details.reason ?? null])).toEqual([['ingest', null], ['ingest', null], ['drop_ingest', 'replace'], ['ingest', null]]);
    // a file no ingest holds is ingested as new; one of the same name with other content is refused
    writeFileSync(join(dir, 'fresh.csv'), 'order_id,customer_id,date,amount\nF1,Q1,2024-03-01,10\n');
    const fresh = await cli(['ingest', join(dir, 'fresh.csv'), '--db', db, '--replace', '--role', 'admin']);
    expect(fresh.stdout).toContain('warning: --replace: no ingest held fresh.csv: it was ingested as a new file');
    writeFileSync(join(dir, 'fresh.csv'), 'order_id,customer_id,date,amount\nF1,Q1,2024-03-01,11\n');
    const renamed = await cli(['ingest', join(dir, 'fresh.csv'), '--db', db, '--replace', '--role', 'admin']);
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toBe(`clvkit: error: --replace: no ingest holds the content of fresh.csv; ingest 4 holds a file of the same name with other content, which --replace does not drop (it replaces the same content only); nothing of this file was added (hint: if this file replaces it, drop that ingest first (clvkit ingests drop 4 --db ${db} --role admin), then ingest this file)\n`);
  }, 60_000);

  it('is refused on ClickHouse with a hint (a cluster has no transactions)', async () => {
    const refused = await cli(['ingest', base, '--replace', '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--role', 'admin']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^clvkit: error: --replace is not available on ClickHouse: it drops and ingests in one transaction, and a cluster has none \(hint: drop the ingest first \(clvkit ingests list, then clvkit ingests drop ID/);
  });
});
