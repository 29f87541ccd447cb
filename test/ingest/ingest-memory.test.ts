import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { ingestMemoryLimitBytes, parseEngineBytes, rowsMemoryLimitBytes, withEngineMemoryLimit } from '../../src/ingest/ingest-memory.js';
import { summaryStage } from '../../src/pipeline/stages/summary-stage.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const MIB = 1024 * 1024;
const NOW = new Date('2024-01-01T00:00:00Z');

async function memoryLimit(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.query(`SELECT current_setting('memory_limit') AS m`);
  return parseEngineBytes(String(row!.m));
}

function writeOrders(dir: string): string {
  const path = join(dir, 'orders.csv');
  const lines = Array.from({ length: 50 }, (_, i) => `${100 + i},C${i % 4},2023-03-${String(1 + (i % 28)).padStart(2, '0')},P${i % 3},2,3.50`);
  writeFileSync(path, ['order_id,customer_id,order_date,product_id,quantity,unit_price', ...lines].join('\n') + '\n');
  return path;
}

describe('ingest memory limit', () => {
  const scratch = useScratchWarehouse();

  it('reads the sizes DuckDB prints', () => {
    expect(parseEngineBytes('18.8 GiB')).toBeCloseTo(18.8 * 1024 ** 3, 0);
    expect(parseEngineBytes('256.0 MiB')).toBe(256 * MIB);
    expect(parseEngineBytes('1GB')).toBe(1e9);
    expect(parseEngineBytes('512 bytes')).toBe(512);
    expect(parseEngineBytes('unlimited')).toBeNaN();
  });

  it('caps the engine at 1 byte per input byte, between 256 MiB and 4 GiB, so memory stops growing with lines', () => {
    expect(ingestMemoryLimitBytes(1000)).toBe(256 * MIB);
    expect(ingestMemoryLimitBytes(200 * MIB)).toBe(256 * MIB);
    expect(ingestMemoryLimitBytes(636 * MIB)).toBe(636 * MIB);
    expect(ingestMemoryLimitBytes(4300 * MIB)).toBe(4096 * MIB);
    expect(ingestMemoryLimitBytes(50_000 * MIB)).toBe(4096 * MIB);
  });

  it('lowers the limit while a file is judged and restores it afterwards', async () => {
    const warehouse = scratch.warehouse;
    const before = await memoryLimit(warehouse);
    expect(before).toBeGreaterThan(256 * MIB); // DuckDB's default: 80% of the machine
    // the limit in force when the judging pass runs, read through a warehouse that looks before each statement
    const during: number[] = [];
    const watching: Warehouse = Object.create(warehouse, {
      execute: {
        value: async (sql: string) => {
          if (/TABLE clv_judged AS/.test(sql)) during.push(await memoryLimit(warehouse));
          return warehouse.execute(sql);
        },
      },
    });
    const report = await ingestFiles(watching, [writeOrders(scratch.dir)], { now: NOW, keepCustomerIds: true });
    expect(report.accepted).toBe(50);
    expect(during).toEqual([256 * MIB]);
    // restored to the setting as DuckDB prints it (one decimal of GiB)
    expect(Math.abs((await memoryLimit(warehouse)) - before) / before).toBeLessThan(0.01);
  });

  it('keeps a lower limit the caller set', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { memoryLimit: '128MB', threads: 2 });
    try {
      await ingestFiles(warehouse, [writeOrders(scratch.dir)], { now: NOW, keepCustomerIds: true });
      expect(await memoryLimit(warehouse)).toBeLessThan(130 * MIB);
    } finally {
      await warehouse.close();
    }
  });

  it('caps the customer summary at 128 bytes per line held, between 256 MiB and 4 GiB (the keyed 10M-line peak was the uncapped summary)', () => {
    expect(rowsMemoryLimitBytes(1000)).toBe(256 * MIB);
    expect(rowsMemoryLimitBytes(10_000_000)).toBe(1_280_000_000);
    expect(rowsMemoryLimitBytes(100_000_000)).toBe(4096 * MIB);
  });

  it("runs analyze's summary stage under that cap and restores the limit afterwards", async () => {
    const warehouse = scratch.warehouse;
    await ingestFiles(warehouse, [writeOrders(scratch.dir)], { now: NOW, keepCustomerIds: true });
    const before = await memoryLimit(warehouse);
    const during: number[] = [];
    const watching: Warehouse = Object.create(warehouse, {
      execute: {
        value: async (sql: string) => {
          if (/TABLE customer_summary AS/.test(sql)) during.push(await memoryLimit(warehouse));
          return warehouse.execute(sql);
        },
      },
    });
    const context = { warehouse: watching, options: { asOf: '2023-03-31' }, timeUnit: 'week', grain: 'day', privacy: { minGroupSize: 1 }, results: {}, warnings: [] } as never;
    await summaryStage.run(context);
    expect(during).toEqual([256 * MIB]);
    expect(Math.abs((await memoryLimit(warehouse)) - before) / before).toBeLessThan(0.01);
    const [summary] = await warehouse.query('SELECT count(*) AS n FROM customer_summary');
    expect(Number(summary!.n)).toBe(4);
  });

  it('withEngineMemoryLimit restores the limit when the work fails', async () => {
    const warehouse = scratch.warehouse;
    const before = await memoryLimit(warehouse);
    await expect(withEngineMemoryLimit(warehouse, 300 * MIB, async () => {
      expect(await memoryLimit(warehouse)).toBe(300 * MIB);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(Math.abs((await memoryLimit(warehouse)) - before) / before).toBeLessThan(0.01);
  });
});
