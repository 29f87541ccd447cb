/**
 * Regression: `serve --demo --engine clickhouse` on a cluster database holding other data suggested
 * `clvkit serve … --db ${stateDb}` with the state file unquoted: a path with a space (`My Shop/state.duckdb`) gave a
 * command that does not run. The path is now quoted as a shell reads it (shellWord), as the other hints quote theirs.
 */
import { describe, expect, it } from 'vitest';
import { assertClusterTakesDemo } from '../../src/server/runs/demo-on-clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { UserError } from '../../src/core/errors/user-error.js';

/** A cluster's database holding one ingested file that is not the demo's (only what assertClusterTakesDemo reads). */
const holdingOtherData = {
  dialect: { name: 'clickhouse' },
  location: 'http://127.0.0.1:18621',
  database: 'shop',
  async query(sql: string) {
    if (sql.includes('FROM ingests')) return [{ file_sha256: 'not-the-demo', n: 1 }];
    return [{ n: 10 }];
  },
} as unknown as ClickHouseWarehouse;

describe('serve --demo --engine clickhouse on a database holding other data', () => {
  it('suggests serving it with the state file quoted as a shell reads it', async () => {
    const refused = await assertClusterTakesDemo(holdingOtherData, '/tmp/My Shop/state.duckdb').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).hint).toContain("--db '/tmp/My Shop/state.duckdb')");
  });
});
