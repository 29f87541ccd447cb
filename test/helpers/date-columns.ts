import { afterAll, beforeAll } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { memoryWarehouse } from './warehouse.js';

/**
 * An in-memory warehouse for the describe block, and `column(name, values)`: a one-column table `d VARCHAR` of those
 * values (for date-format detection), its name returned.
 */
export function useDateColumns(): { warehouse: () => Warehouse; column: (name: string, values: readonly (string | null)[]) => Promise<string> } {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
  });
  afterAll(async () => {
    await warehouse.close();
  });
  return {
    warehouse: () => warehouse,
    column: async (name, values) => {
      await warehouse.execute(`CREATE OR REPLACE TABLE ${name} (d VARCHAR)`);
      await warehouse.append(name, { d: [...values] });
      return name;
    },
  };
}
