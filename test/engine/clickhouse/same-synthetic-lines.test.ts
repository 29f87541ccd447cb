import { beforeAll, describe, expect, it } from 'vitest';
import { buildCustomerSummarySql } from '../../../src/features/customer-summary.js';
import { generateDuckDbLines, generateLines } from '../../../bench/cases/clickhouse-generate.js';
import { checksumDifferences, sameLinesChecksum } from '../../../bench/cases/clickhouse-same-lines-checksum.js';
import { mixedHash32Sql } from '../../../bench/cases/clickhouse-synthetic-lines.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, expectSameRows, useTwoEngines } from '../../helpers/clickhouse.js';

// The ClickHouse bench compares the engines on lines each generates natively from one formula
// (bench/cases/clickhouse-synthetic-lines.ts): this guards that the two engines really generate the same lines — every
// line, not only its aggregates — and write the same customer summary from them.
const LINES = 30_000;
const CUSTOMERS = 1500;
const OPTIONS = { asOf: '2023-12-31', timeUnit: 'week' as const };

describe.skipIf(!CLICKHOUSE_URL)(`the bench's synthetic lines are the same on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('same_synthetic_lines', { fill: (duck) => generateDuckDbLines(duck, LINES, CUSTOMERS), timeout: 120_000 });
  beforeAll(async () => {
    await generateLines(engines.clickhouse, LINES, CUSTOMERS);
    for (const warehouse of [engines.duck, engines.clickhouse]) await warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, OPTIONS)}`);
  }, 120_000);

  it('hashes alike on both engines, up to the 1.3e10 the amounts of a billion lines reach (no BIGINT overflow)', async () => {
    const hashes = (engine: 'duckdb' | 'clickhouse', cast: (x: string) => string) => ['0', '1', '2', '13000000000', '4294967295'].map((x, i) => `${mixedHash32Sql(engine, cast(x))} AS h${i}`).join(', ');
    const [onDuck] = await engines.duck.query(`SELECT ${hashes('duckdb', (x) => `CAST(${x} AS BIGINT)`)}`);
    const [onClickHouse] = await engines.clickhouse.query(`SELECT ${hashes('clickhouse', (x) => `toUInt64(${x})`)}`);
    expect(Object.values(onDuck!).map(Number)).toEqual([0, 2_452_791_956, 610_551_080, 513_140_633, 3_050_580_140]);
    expect(Object.values(onClickHouse!).map(Number)).toEqual(Object.values(onDuck!).map(Number));
  });

  it('gives every line the same order, customer, time, amount and return flag', async () => {
    const sql = 'SELECT source_line, order_id, customer_id, ts, amount, is_return FROM transactions';
    const [onDuck, onClickHouse] = [await engines.duck.query(sql), await engines.clickhouse.query(sql)];
    expect(onDuck).toHaveLength(LINES);
    expectSameRows(onDuck, onClickHouse, ['source_line']);
  });

  it('holds the same checksum on both engines, with the hand-checked totals of the formula', async () => {
    const [onDuck, onClickHouse] = [await sameLinesChecksum(engines.duck), await sameLinesChecksum(engines.clickhouse)];
    expect({ lines: onDuck.lines, amountCents: onDuck.amountCents, customers: onDuck.customers, summaryRows: onDuck.summaryRows }).toEqual({ lines: LINES, amountCents: 149_896_459, customers: 1498, summaryRows: 1498 });
    expect(checksumDifferences(onDuck, onClickHouse)).toEqual([]);
  });

  it('tells a checksum that differs by one line or one cent', async () => {
    const onDuck = await sameLinesChecksum(engines.duck);
    expect(checksumDifferences(onDuck, { ...onDuck, lines: onDuck.lines + 1, amountCents: onDuck.amountCents - 1 })).toEqual([`lines: ${LINES} vs ${LINES + 1}`, `amountCents: 149896459 vs 149896458`]);
    expect(checksumDifferences(onDuck, { ...onDuck, sumT: onDuck.sumT * (1 + 1e-6) })).toHaveLength(1);
  });
});
