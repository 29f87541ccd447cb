/**
 * A run's derived tables are written under staging names and swapped in at
 * its end (src/engine/staged-derived-tables.ts): the run's view rewrites the
 * names in its SQL and its catalog queries; the live tables are untouched
 * until `commit`, and `discard` drops what the run staged.
 */
import { describe, expect, it } from 'vitest';
import { stageDerivedTables, stagedTableOf, stageStatement } from '../../src/engine/staged-derived-tables.js';
import { tableExists } from '../../src/features/table-exists.js';
import { classifyColumn, tableClassification } from '../../src/privacy/access/classification.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

describe('stageStatement', () => {
  it('names the staged table wherever a statement names a derived table, bare or quoted, and nowhere else', () => {
    expect(stageStatement('CREATE OR REPLACE TABLE customer_rfm AS SELECT s.customer_id FROM customer_summary s LEFT JOIN "customer_scores" c ON c.customer_id = s.customer_id', 'duckdb')).toBe(
      'CREATE OR REPLACE TABLE clv_staged_customer_rfm AS SELECT s.customer_id FROM clv_staged_customer_summary s LEFT JOIN "clv_staged_customer_scores" c ON c.customer_id = s.customer_id',
    );
    // a longer name, a string literal (audit details), a comment and an already staged name are left alone
    const untouched = "INSERT INTO audit_log VALUES ('{\"customer_summary\": 12}') -- customer_summary\nSELECT * FROM customer_scores_btyd, clv_staged_customer_stages";
    expect(stageStatement(untouched, 'duckdb')).toBe(untouched);
    // DuckDB reads a backslash as a character: the literal ends at its quote, the name after it is staged
    expect(stageStatement("SELECT 'C:\\' AS p FROM customer_stages", 'duckdb')).toBe("SELECT 'C:\\' AS p FROM clv_staged_customer_stages");
    // ClickHouse escapes with it: the quote after the backslash is inside the literal
    expect(stageStatement("SELECT 'it\\'s customer_stages' FROM customer_stages", 'clickhouse')).toBe("SELECT 'it\\'s customer_stages' FROM clv_staged_customer_stages");
  });

  it('maps the staged tables back to their names in the catalog views, and hides the live ones', () => {
    const sql = stageStatement("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'customer_scores'", 'duckdb');
    expect(sql).toContain("WHERE table_name NOT IN ('customer_summary', 'customer_scores'");
    expect(sql).toContain("CASE WHEN clv_name IN ('clv_staged_customer_summary'");
    expect(sql.endsWith("clv_catalog) WHERE table_name = 'customer_scores'")).toBe(true);
  });

  it('knows the derived table of a staged name (the privacy report classifies it as that table)', () => {
    expect(stagedTableOf('clv_staged_customer_rfm')).toBe('customer_rfm');
    expect(stagedTableOf('clv_staged_mystery')).toBeNull();
    expect(stagedTableOf('customer_rfm')).toBeNull();
    expect(classifyColumn('clv_staged_customer_scores', 'p_alive')).toMatchObject({ class: 'internal', declared: true });
    expect(classifyColumn('clv_staged_customer_scores', 'customer_id')).toMatchObject({ protection: 'pseudonymised', declared: true });
    expect(tableClassification('clv_staged_customer_scores')?.description).toMatch(/^customer_scores, as an analysis that has not finished wrote it/);
  });
});

describe('stageDerivedTables on DuckDB', () => {
  const scratch = useScratchWarehouse();

  async function liveAnalysis(): Promise<void> {
    const w = scratch.warehouse;
    await w.execute("CREATE TABLE customer_summary AS SELECT 'c_old' AS customer_id, DATE '2011-12-09' AS last_purchase");
    await w.execute("CREATE TABLE customer_rfm AS SELECT 'c_old' AS customer_id, 'Champions' AS segment");
  }

  it('the run reads and writes its own tables; the live ones stay as they were until the commit swaps them in one transaction', async () => {
    await liveAnalysis();
    const live = scratch.warehouse;
    const staged = await stageDerivedTables(live);
    const run = staged.warehouse;
    // the run sees none of the live analysis: not its tables, not in the catalog
    expect(await tableExists(run, 'customer_summary')).toBe(false);
    await run.execute("CREATE OR REPLACE TABLE customer_summary AS SELECT 'c_new' AS customer_id, CAST(3 AS DOUBLE) AS orders");
    await run.append('customer_summary', { customer_id: ['c_new2'], orders: [1] });
    expect(await tableExists(run, 'customer_summary')).toBe(true);
    expect(await tableExists(run, 'customer_rfm')).toBe(false);
    expect((await run.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'customer_summary' ORDER BY ordinal_position")).map((r) => r.column_name)).toEqual(['customer_id', 'orders']);
    expect((await run.query('SELECT customer_id FROM customer_summary ORDER BY 1')).map((r) => r.customer_id)).toEqual(['c_new', 'c_new2']);
    // a reader beside the run (a server route) reads the live analysis
    expect((await live.query('SELECT customer_id FROM customer_summary')).map((r) => r.customer_id)).toEqual(['c_old']);
    expect(await tableExists(live, 'customer_rfm')).toBe(true);

    const swapped = await staged.commit(async (w, tables) => {
      await w.execute(`INSERT INTO warehouse_meta VALUES ('probe', ${w.dialect.literal(tables.join(','))})`);
    });
    expect(swapped).toEqual(['customer_summary']);
    expect((await live.query('SELECT customer_id FROM customer_summary ORDER BY 1')).map((r) => r.customer_id)).toEqual(['c_new', 'c_new2']);
    // a derived table the run did not write is not left from the earlier analysis
    expect(await tableExists(live, 'customer_rfm')).toBe(false);
    expect(await live.query("SELECT value FROM warehouse_meta WHERE name = 'probe'")).toEqual([{ value: 'customer_summary' }]);
    expect(await live.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'clv_staged_%'")).toEqual([]);
  });

  it('a commit whose records fail swaps nothing in (one transaction)', async () => {
    await liveAnalysis();
    const staged = await stageDerivedTables(scratch.warehouse);
    await staged.warehouse.execute("CREATE OR REPLACE TABLE customer_summary AS SELECT 'c_new' AS customer_id");
    await expect(
      staged.commit(async () => {
        throw new Error('records failed');
      }),
    ).rejects.toThrow('records failed');
    expect((await scratch.warehouse.query('SELECT customer_id FROM customer_summary')).map((r) => r.customer_id)).toEqual(['c_old']);
    expect(await tableExists(scratch.warehouse, 'customer_rfm')).toBe(true);
  });

  it('discard drops the staged tables; a new run drops what an interrupted one left', async () => {
    await liveAnalysis();
    const first = await stageDerivedTables(scratch.warehouse);
    await first.warehouse.execute("CREATE OR REPLACE TABLE customer_rfm AS SELECT 'c_new' AS customer_id");
    expect(await tableExists(scratch.warehouse, 'clv_staged_customer_rfm')).toBe(true);
    // interrupted: never committed nor discarded; the next run starts clean
    const second = await stageDerivedTables(scratch.warehouse);
    expect(await tableExists(scratch.warehouse, 'clv_staged_customer_rfm')).toBe(false);
    await second.warehouse.execute("CREATE OR REPLACE TABLE customer_rfm AS SELECT 'c_new' AS customer_id");
    await second.discard();
    expect(await tableExists(scratch.warehouse, 'clv_staged_customer_rfm')).toBe(false);
    expect((await scratch.warehouse.query('SELECT segment FROM customer_rfm')).map((r) => r.segment)).toEqual(['Champions']);
  });
});
