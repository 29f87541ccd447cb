import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';

/** An in-memory warehouse with the schema applied. */
export function memoryWarehouse(): Promise<Warehouse> {
  return openDuckDbWarehouse(':memory:', { threads: 2 });
}

/** A fresh temporary folder for files a test writes. */
export function scratchDir(prefix = 'clvkit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
export const DEMO_FILE = new URL('../../data/online-retail/online_retail.csv.gz', import.meta.url).pathname;
