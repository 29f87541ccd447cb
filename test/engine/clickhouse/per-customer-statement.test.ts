import { describe, expect, it } from 'vitest';
import { clickhouseDialect } from '../../../src/engine/clickhouse/clickhouse-dialect.js';
import { isPerCustomerStatement, tablesRead } from '../../../src/engine/clickhouse/per-customer-statement.js';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../../../src/features/customer-summary.js';
import { SCRATCH_PREFIX, stageStatement } from '../../../src/engine/staged-derived-tables.js';

// Which statements may take the shards' finished rows (distributed_group_by_no_merge): a wrong yes would return a
// global aggregate per shard, a wrong no costs the merge of every per-customer state on the entry node.
describe('per-customer statements on a cluster', () => {
  const sharded = new Set(['transactions', 'customers']);
  const summary = (holdout: boolean) => buildCustomerSummarySql(clickhouseDialect, { asOf: '2023-06-30', timeUnit: 'week', ...(holdout ? { holdoutEnd: '2023-12-31' } : {}) });

  it('the customer summary, with and without a holdout, reads only the sharded transactions (its CTEs are not tables)', () => {
    expect(tablesRead(summary(false))).toContain('with_money'); // the CTE, as written
    expect(isPerCustomerStatement(`CREATE OR REPLACE TABLE customer_summary AS ${summary(false)}`, sharded)).toBe(true);
    expect(isPerCustomerStatement(`CREATE OR REPLACE TABLE customer_summary AS ${summary(true)}`, sharded)).toBe(true);
    // as an analysis writes it: under its staged name (staged-derived-tables.ts)
    expect(isPerCustomerStatement(stageStatement(`CREATE OR REPLACE TABLE customer_summary AS ${summary(false)}`, 'clickhouse'), sharded)).toBe(true);
    // as segments and lifecycle --engine clickhouse write it: under its scratch name (withScratchDerivedTables)
    expect(isPerCustomerStatement(`CREATE OR REPLACE TABLE ${SCRATCH_PREFIX}customer_summary AS ${summary(false)}`, sharded)).toBe(true);
  });

  it('not when the summary reads an entry-node table, not for other tables, not for a global aggregate, not for a plain query', () => {
    expect(isPerCustomerStatement(`CREATE OR REPLACE TABLE customer_summary AS ${summary(false)}`, new Set(['customers']))).toBe(false);
    expect(isPerCustomerStatement(`CREATE OR REPLACE TABLE clv_tuples AS ${buildCompressedSummarySql(summary(false))}`, sharded)).toBe(false);
    expect(isPerCustomerStatement(`CREATE OR REPLACE TABLE customer_summary AS SELECT 1 AS x`, sharded)).toBe(false);
    expect(isPerCustomerStatement(summary(false), sharded)).toBe(false);
  });
});
