import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audienceSourceSql } from '../../src/actions/audience-source-sql.js';
import { audienceColumns, compileWhereExpression } from '../../src/actions/compile-where-expression.js';
import { parseWhereExpression } from '../../src/actions/parse-where-expression.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { DERIVED_TABLES } from '../../src/engine/derived-tables.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = scratchDir();
  db = join(dir, 'shop.duckdb');
  // a synthetic shop with events and profiles; ingested, never analysed
  expect((await cli(['synth', '--customers', '1200', '--seed', '8', '--out', join(dir, 'shop')])).code).toBe(0);
  expect((await cli(['ingest', join(dir, 'shop', 'transactions.csv'), '--db', db])).code).toBe(0);
}, 120_000);

describe('scoring a never-analysed warehouse before an audience', () => {
  it('regression: --where "churn_probability > 0.5" on an ingested-only warehouse draws the audience (the churn stage runs first)', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'churners', '--where', 'churn_probability > 0.5', '--holdout', '0.2', '--seed', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/running the analysis stages of analyze --db \(summary, value models, churn, segments, lifecycle, events\)/);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [check] = await warehouse.query(`SELECT count(*) AS n, count(*) FILTER (WHERE w.churn_probability <= 0.5) AS wrong
        FROM audience_members m JOIN customer_churn w USING (customer_id) WHERE m.audience = 'churners'`);
      expect(Number(check!.n)).toBeGreaterThan(0);
      expect(Number(check!.wrong)).toBe(0);
    } finally {
      await warehouse.close();
    }
  }, 180_000);

  it('every column documented for --where exists after the scoring: a filter on each one compiles and runs', async () => {
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const names = [...audienceColumns().keys()].filter((k) => !k.includes('.'));
      // the catalogue's every table but the token column is offered, churn and behaviour included
      expect(names).toEqual(expect.arrayContaining(['churn_probability', 'churn_risk_band', 'browse_stage', 'buyer_type', 'conversion_propensity', 'stage', 'segment', 'value_tier', 'predicted_clv_12m']));
      for (const name of names) {
        const compiled = compileWhereExpression(parseWhereExpression(`${name} IS NULL OR ${name} IS NOT NULL`), warehouse.dialect);
        const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${audienceSourceSql(warehouse.dialect, compiled.tables)} WHERE ${compiled.sql}`);
        expect(Number(row!.n), name).toBe(1200);
      }
      const tables = await warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'customer_%'");
      expect(tables.map((t) => String(t.table_name))).toEqual(expect.arrayContaining(DERIVED_TABLES.map((t) => t.name)));
    } finally {
      await warehouse.close();
    }
  }, 60_000);
});
