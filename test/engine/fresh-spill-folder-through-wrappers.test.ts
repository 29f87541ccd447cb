/**
 * An in-memory warehouse whose memory limit an ingest or summary lowers (`withEngineMemoryLimit`) spills into a fresh
 * owner-only folder under the system temp, removed when the warehouse closes — also when the limit is lowered through
 * a warehouse that wraps it: the statement log (`traceWarehouse`), a staged or scratch view of the derived tables
 * (`withScratchDerivedTables`), the server's serialised warehouse. The warehouse holds its folder itself
 * (`spillToFreshFolder`); a wrapper that did not pass it on would leave DuckDB its relative default `.tmp`, in the
 * working folder, readable by others.
 */
import { existsSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { withScratchDerivedTables } from '../../src/engine/staged-derived-tables.js';
import { traceWarehouse } from '../../src/engine/trace-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { withEngineMemoryLimit } from '../../src/ingest/ingest-memory.js';
import { serialiseWarehouse } from '../../src/server/serialised-warehouse.js';

const WRAPPERS: readonly (readonly [string, (warehouse: Warehouse, work: (wrapped: Warehouse) => Promise<void>) => Promise<void>])[] = [
  ['the warehouse itself', (warehouse, work) => work(warehouse)],
  ['the statement log', (warehouse, work) => work(traceWarehouse(warehouse, 'duckdb', () => undefined))],
  ['a scratch view of the derived tables', (warehouse, work) => withScratchDerivedTables(warehouse, work)],
  ['the server’s serialised warehouse', (warehouse, work) => work(serialiseWarehouse(warehouse))],
];

describe('an in-memory warehouse spills into a fresh folder of its own, removed on close', () => {
  it.each(WRAPPERS)('through %s', async (_name, wrap) => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false, threads: 1 });
    let spill = '';
    try {
      await wrap(warehouse, async (wrapped) => {
        await withEngineMemoryLimit(wrapped, 64 * 1024 * 1024, async () => {
          spill = String((await wrapped.query("SELECT current_setting('temp_directory') AS d"))[0]!.d);
        });
      });
      expect(spill.startsWith(join(tmpdir(), 'clvkit-duckdb-'))).toBe(true);
      expect(lstatSync(spill).mode & 0o777).toBe(0o700);
    } finally {
      await warehouse.close();
    }
    expect(existsSync(spill)).toBe(false);
  });
});
