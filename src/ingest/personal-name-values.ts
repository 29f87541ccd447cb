import type { Warehouse } from '../engine/warehouse.js';
import { NAME_SAMPLE_ROWS } from './name-like-customer-ids.js';

/**
 * A value shaped like a person's name: two or three capitalised words of letters — each a capital then a small letter
 * (Ellis, McDonald, Anne-Marie, Łukasik; O'Neil), or an initial (J.) — with up to two small particles between them
 * (van der, de la). No digits, no word in capitals only (product names of a catalogue export are often written so).
 */
const WORD = "(\\p{Lu}(['’]\\p{Lu})?\\p{Ll}[\\pL'’-]*|\\p{Lu}\\.)";
export const PERSONAL_NAME_PATTERN = `${WORD}( (\\p{Ll}{1,3} ){0,2}${WORD}){1,2}`;

/**
 * What shows that a column of an order file named a bare 'name' (`bareNameColumns`) holds people's names, for the
 * personal-data warning (`personalDataWarning`'s `why`), or null when it does not:
 * in the sampled rows with a customer id and a value, at least 80% of the values are shaped like a person's name
 * (`PERSONAL_NAME_PATTERN`), and the values go with the customers as a person's name does and a product's does not —
 * one value per customer (distinct customer–value pairs at most 1.05 × the customers) and about as many values as
 * customers (at least half as many). Product names fail the last two: a customer buys several products, and a product
 * is bought by many customers. At least 10 such rows of 5 customers are needed. No value is quoted.
 *
 * Example: `await personalNameEvidence(wh, 'clv_stage_sample', 'name', 'customer_id')` → `'96% of the sampled values are two or three capitalised words, one per customer'`
 */
export async function personalNameEvidence(warehouse: Warehouse, sample: string, column: string, customerColumn: string): Promise<string | null> {
  const d = warehouse.dialect;
  const text = (c: string) => `trim(CAST(${d.identifier(c)} AS VARCHAR))`;
  const [row] = await warehouse.query(`
    SELECT count(*) AS n, sum(CASE WHEN ${d.fullMatch('v', PERSONAL_NAME_PATTERN)} THEN 1 ELSE 0 END) AS shaped,
      count(DISTINCT v) AS names, count(DISTINCT c) AS customers, count(DISTINCT c || chr(31) || v) AS pairs
    FROM (SELECT ${text(column)} AS v, ${text(customerColumn)} AS c FROM ${sample} LIMIT ${NAME_SAMPLE_ROWS}) s
    WHERE v IS NOT NULL AND v <> '' AND c IS NOT NULL AND c <> ''`);
  const n = Number(row?.n ?? 0);
  const customers = Number(row?.customers ?? 0);
  if (n < 10 || customers < 5) return null;
  const shaped = Number(row!.shaped) / n;
  const onePerCustomer = Number(row!.pairs) <= 1.05 * customers;
  const asManyAsCustomers = Number(row!.names) >= 0.5 * customers;
  if (shaped < 0.8 || !onePerCustomer || !asManyAsCustomers) return null;
  return `${Math.round(100 * shaped)}% of the sampled values are two or three capitalised words, one per customer`;
}
