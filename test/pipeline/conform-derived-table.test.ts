import { describe, expect, it } from 'vitest';
import { derivedTable } from '../../src/engine/derived-tables.js';
import { conformDerivedTable } from '../../src/pipeline/conform-derived-table.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

describe('conformDerivedTable', () => {
  it('adds the catalogue columns a step left out (scores without CLV) as NULL columns of their type, once', async () => {
    const warehouse = await memoryWarehouse();
    await warehouse.execute("CREATE TABLE customer_scores AS SELECT 'c_1' AS customer_id, 0.5 AS p_alive, 0.1 AS expected_purchases_30d, 0.3 AS expected_purchases_90d, 1.2 AS expected_purchases_365d, DATE '2024-02-01' AS next_order_p50, DATE '2024-06-01' AS next_order_p90");
    expect(await conformDerivedTable(warehouse, 'customer_scores')).toEqual(['predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high']);
    const [row] = await warehouse.query('SELECT p_alive, predicted_clv_12m, predicted_clv_12m_high FROM customer_scores');
    expect(row).toEqual({ p_alive: 0.5, predicted_clv_12m: null, predicted_clv_12m_high: null });
    const types = await warehouse.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'customer_scores' AND column_name LIKE 'predicted%'");
    expect(types.map((t) => t.data_type)).toEqual(['DOUBLE', 'DOUBLE', 'DOUBLE']);
    expect(await conformDerivedTable(warehouse, 'customer_scores')).toEqual([]);
    expect(derivedTable('customer_scores').columns.length).toBe(10);
    await warehouse.close();
  });
});
