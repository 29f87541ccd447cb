/**
 * `erasedAt` (erased-customers.ts) tells `clvkit customer` when a token was recorded as erased: the same ISO time on
 * both engines (ClickHouse's DateTime read as UTC), null for a token never erased or readmitted since.
 */
import { describe, expect, it } from 'vitest';
import { erasedAt, forgetErasedTokens, recordErasedTokens } from '../../src/engine/erased-customers.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../helpers/clickhouse.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const AT = new Date('2024-03-01T09:12:00Z');

async function expectErasedAt(warehouse: Warehouse): Promise<void> {
  await recordErasedTokens(warehouse, ['c_one', 'c_two'], AT);
  await recordErasedTokens(warehouse, ['c_one'], new Date('2024-04-01T00:00:00Z'));
  expect(await erasedAt(warehouse, 'c_one')).toBe('2024-03-01T09:12:00.000Z');
  expect(await erasedAt(warehouse, 'c_never')).toBeNull();
  await forgetErasedTokens(warehouse, ['c_two']);
  expect(await erasedAt(warehouse, 'c_two')).toBeNull();
}

describe('erasedAt on DuckDB', () => {
  const scratch = useScratchWarehouse();
  it('gives the first time a token was recorded as erased, null when it is not recorded', async () => {
    await expectErasedAt(scratch.warehouse);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`erasedAt on ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('erased_at', { threads: 1, copy: ['erased_customers'], timeout: 60_000 });
  it('gives the same time as DuckDB', async () => {
    await expectErasedAt(engines.clickhouse);
  });
});
