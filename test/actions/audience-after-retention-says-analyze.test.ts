/**
 * `clvkit retention apply` deletes the derived rows (customer_summary, scores, stages) of the customers it purges.
 * `audience create --where "stage = 'active'"` after it then failed with an internal error (no transactions left: no
 * send date) or, with --send-date, said "the audience is empty … widen the filter" — which no filter cures. It now says
 * the derived tables are empty and what to run: clvkit analyze (after ingesting newer data when none is left). The
 * hint test beside it (audience-emptied-by-retention-hint.test.ts) covers campaign evaluate on an audience drawn before.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { DERIVED_TABLES } from '../../src/engine/derived-tables.js';
import { clusterFlags } from '../../src/engine/warehouse-flags.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseCopyOfFile, dropScratchDatabase } from '../helpers/clickhouse.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

let db: string;
let clickhouse: ClickHouseWarehouse | undefined;

beforeAll(async () => {
  db = await smallAnalysedShop();
  const purged = await cli(['retention', 'apply', '--db', db, '--transactions', '1d', '--role', 'admin', '--allow-empty']);
  expect(purged.code, purged.stderr).toBe(0);
  // the purged warehouse on a cluster too: the same tables, as emptied
  if (CLICKHOUSE_URL) clickhouse = await clickhouseCopyOfFile(db, 'audience_after_retention', ['warehouse_meta', 'customer_reid', 'transactions', ...DERIVED_TABLES.map((t) => t.name)]);
}, 180_000);
afterAll(() => dropScratchDatabase(clickhouse));

describe('audience create after retention apply emptied the derived tables', () => {
  const create = (...more: string[]) => cli(['audience', 'create', '--db', db, '--name', 'spring', '--where', "stage = 'active'", ...more]);

  it('no transactions left either: says the derived tables are empty, to ingest newer data and run clvkit analyze (no internal error)', async () => {
    for (const created of [await create(), await create('--send-date', '2024-01-10')]) {
      expect(created.code).toBe(2);
      expect(created.stderr).toBe(
        `clvkit: error: the derived tables are empty: customer_summary holds no customer (retention apply or erase removed their rows) (hint: the warehouse holds no transactions either: ingest newer ones (clvkit ingest <file> --db ${db}), then run clvkit analyze --db ${db})\n`,
      );
    }
  });

  it('transactions held again but not analysed: says the derived tables are empty — run clvkit analyze first', async () => {
    const file = join(dirname(db), 'newer.csv');
    writeFileSync(file, 'order_id,customer_id,date,amount\nN1,Q1,2025-01-02,10\nN2,Q2,2025-01-03,12\n');
    const ingested = await cli(['ingest', file, '--db', db]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const created = await create();
    expect(created.code).toBe(2);
    expect(created.stderr).toBe(
      `clvkit: error: the derived tables are empty: customer_summary holds no customer (retention apply or erase removed their rows) (hint: run clvkit analyze --db ${db} first)\n`,
    );
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`audience create --engine clickhouse after retention apply${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  it('says the derived tables are empty, to ingest newer data and run clvkit analyze with the cluster flags', async () => {
    const flags = clusterFlags({ url: CLICKHOUSE_URL, database: clickhouse!.database });
    const created = await cli(['audience', 'create', ...flags.split(' '), '--key-file', `${db}.key`, '--name', 'spring', '--where', "stage = 'active'"]);
    expect(created.code).toBe(2);
    expect(created.stderr).toBe(
      `clvkit: error: the derived tables are empty: customer_summary holds no customer (retention apply or erase removed their rows) (hint: the warehouse holds no transactions either: ingest newer ones (clvkit ingest <file> ${flags}), then run clvkit analyze ${flags})\n`,
    );
  });
});
