import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { copyTableToClickHouse } from '../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { orderGrainWarning } from '../../src/features/order-grain-warning.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';
import { runWords } from '../../src/core/run-words.js';

const CLI = runWords(false);

// `--grain order` on purchases without order ids counted each purchase second as an order — on dates without a time
// of day, each purchase day, exactly as `--grain day` — and said nothing: the user asked for orders and got days.
describe('orderGrainWarning (what --grain order counts without order ids)', () => {
  const scratch = useScratchWarehouse();
  const ingest = async (lines: readonly string[]) => {
    const path = join(scratch.dir, 'log.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z') });
  };

  it('on dates only: an order is a purchase day, as with --grain day', async () => {
    await ingest(['customer_id,date', 'a,2024-01-03', 'a,2024-02-03', 'b,2024-01-04']);
    expect(await orderGrainWarning(scratch.warehouse, 'order', CLI)).toBe('--grain order counts orders, but the data has no order ids and its dates no time of day, so an order is a purchase day, as with --grain day; map the order column with --map order_id=<column>');
    expect(await orderGrainWarning(scratch.warehouse, 'day', CLI)).toBeNull();
  });

  it('in the words of a run started through the API: the fields of POST /api/runs and the order route, no flag', async () => {
    await ingest(['customer_id,date', 'a,2024-01-03', 'a,2024-02-03', 'b,2024-01-04']);
    expect(await orderGrainWarning(scratch.warehouse, 'order', runWords(true))).toBe('"grain": "order" counts orders, but the data has no order ids and its dates no time of day, so an order is a purchase day, as with "grain": "day"; send order_id with each order: POST /api/orders');
  });

  it('on times of day: an order is the lines bought at the same second', async () => {
    await ingest(['customer_id,date,amount', 'a,2024-01-03 10:15:00,5', 'a,2024-02-03 11:00:00,6', 'b,2024-01-04,7']);
    expect(await orderGrainWarning(scratch.warehouse, 'order', CLI)).toMatch(/^--grain order counts orders, but the data has no order ids, so an order is the lines bought at the same second;/);
  });

  it('says nothing when the purchases carry order ids', async () => {
    await ingest(['customer_id,order_id,date,amount', 'a,o1,2024-01-03,5', 'a,o2,2024-02-03,6', 'b,o3,2024-01-04,7']);
    expect(await orderGrainWarning(scratch.warehouse, 'order', CLI)).toBeNull();
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`orderGrainWarning on ClickHouse: the same words as on DuckDB${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const scratch = useScratchWarehouse();
  let clickhouse: ClickHouseWarehouse | undefined;
  afterAll(() => dropScratchDatabase(clickhouse));

  it('tells dates without a time of day from timed ones', async () => {
    const path = join(scratch.dir, 'log.csv');
    writeFileSync(path, ['customer_id,date', 'a,2024-01-03', 'a,2024-02-03', 'b,2024-01-04'].join('\n') + '\n');
    await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z') });
    clickhouse = await clickhouseWarehouse('order_grain_warning');
    await copyTableToClickHouse(scratch.warehouse, clickhouse, 'transactions');
    expect(await orderGrainWarning(clickhouse, 'order', CLI)).toBe(await orderGrainWarning(scratch.warehouse, 'order', CLI));
    expect(await orderGrainWarning(clickhouse, 'order', CLI)).toMatch(/no time of day/);
    await clickhouse.execute("INSERT INTO transactions (customer_id, ts, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ('c', toDateTime('2024-03-01 10:15:00'), 0, 0, 1, 's', 9, 'h9')");
    expect(await orderGrainWarning(clickhouse, 'order', CLI)).toMatch(/the lines bought at the same second/);
  });
});
