import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';

/**
 * A note for `clvkit segments --db`, whose value tiers rank by historic value for its own date (scratch tables), when
 * the warehouse's stored analysis ranked its tiers by predicted 12-month CLV: what `audience create --where
 * value_tier …`, playbooks and the dashboard read is then another set of customers, which the table on screen does not
 * describe (Online Retail: 867 high either way, 697 of them the same). Gives the stored high tier's size and historic
 * value; null when there is no stored analysis, its tiers are by historic value too, or its high tier is below `k`.
 *
 * Example: `await storedValueTiersNote(warehouse, 5)` → "note: audience --where value_tier, playbooks and the dashboard
 * read the tiers of the stored analysis, ranked by predicted 12-month CLV, not these: its high tier holds 867 customers
 * with a historic value of 5,824,570"
 */
export async function storedValueTiersNote(warehouse: Warehouse, k: number): Promise<string | null> {
  if (!(await tableExists(warehouse, 'customer_value_tiers'))) return null;
  const [row] = await warehouse.query("SELECT count(*) AS n, sum(historic_value) AS v, count(predicted_value) AS p FROM customer_value_tiers WHERE value_tier = 'high'");
  const n = Number(row?.n ?? 0);
  if (Number(row?.p ?? 0) === 0 || n < k) return null;
  const value = Number(row!.v).toLocaleString('en-US', { maximumFractionDigits: 0 });
  return `note: audience --where value_tier, playbooks and the dashboard read the tiers of the stored analysis, ranked by predicted 12-month CLV, not these: its high tier holds ${n.toLocaleString('en-US')} customers with a historic value of ${value}`;
}
