import type { Warehouse } from '../engine/warehouse.js';

/** Rows of the sample looked at (the head of the file, as date and number detection read it). */
export const NAME_SAMPLE_ROWS = 20_000;

/**
 * A warning when the column matched as the customer id by its name holds names rather than ids — most sampled values
 * are words separated by a space ('J. GARCIA', 'Ann Smith'), as a PrestaShop order list's 'Cliente' does — so that
 * customers who share a name would be merged; null otherwise. No value is quoted: they are personal data.
 *
 * Example: `await nameLikeCustomerIdWarning(wh, 'clv_stage_sample', 'Cliente')` → `"column 'Cliente', read as the customer id, …"`
 */
export async function nameLikeCustomerIdWarning(warehouse: Warehouse, sample: string, column: string): Promise<string | null> {
  const d = warehouse.dialect;
  const value = `trim(CAST(${d.identifier(column)} AS VARCHAR))`;
  // a letter of any alphabet (\pL) each side of the space: Latin, Greek, Cyrillic, Ł, Ż …
  const [row] = await warehouse.query(`
    SELECT sum(CASE WHEN ${d.fullMatch('v', "[^0-9]*\\pL[.,]? +\\pL[^0-9]*")} THEN 1 ELSE 0 END) AS names, count(*) AS n
    FROM (SELECT ${value} AS v FROM ${sample} LIMIT ${NAME_SAMPLE_ROWS}) s WHERE v IS NOT NULL AND v <> ''`);
  const names = Number(row?.names ?? 0);
  const n = Number(row?.n ?? 0);
  if (n === 0 || names / n <= 0.5) return null;
  return `column '${column}', read as the customer id, holds names rather than ids in ${Math.round((100 * names) / n)}% of the sampled rows: customers who share a name are merged into one; if the file has a customer number, pass --map customer_id=<that column>`;
}
