/**
 * Statements whose every row is one customer's and whose inputs are all
 * sharded by customer: each shard's answer is then final for the customers
 * it holds, so the entry node may take the shards' finished rows
 * (`distributed_group_by_no_merge = 1`) instead of their partial
 * aggregation states. For the customer summary those states are what cost:
 * exact distinct sets and per-customer arrays shipped to and merged on the
 * entry node (issue 18: `CREATE TABLE customer_summary AS …` was ~6× the
 * bare distributed GROUP BY on 10M lines).
 *
 * Only derived tables named here qualify (one row per customer, every
 * aggregation grouped by customer_id — a global aggregate, such as the
 * compressed tuples, must merge), and only when every table the query reads
 * is sharded; a read of an entry-node table keeps the ordinary plan.
 *
 * Example: `isPerCustomerStatement('CREATE OR REPLACE TABLE customer_summary AS SELECT … FROM transactions …', new Set(['transactions']))` → true
 */
import { inlineCtes } from './inline-ctes.js';
import { maskLiterals } from './sql-literals.js';
import { stagedTableOf } from '../staged-derived-tables.js';

/** under their own names, or the staged or scratch names an analysis or a read command writes them under (`stagedTableOf`) */
const PER_CUSTOMER_TABLES = new Set(['customer_summary']);

/** Names read after FROM or JOIN (not subqueries), lower case. */
export function tablesRead(sql: string): string[] {
  return [...maskLiterals(sql).matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_.]*)/gi)].map((match) => match[1]!.toLowerCase().replace(/^.*\./, ''));
}

export function isPerCustomerStatement(sql: string, sharded: ReadonlySet<string>): boolean {
  const create = /^\s*CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+([\s\S]*)$/i.exec(sql);
  const table = create?.[1]!.toLowerCase();
  if (!create || !PER_CUSTOMER_TABLES.has(stagedTableOf(table!) ?? table!)) return false;
  const read = tablesRead(inlineCtes(create[2]!)); // a CTE's name is not a table: its body is read
  return read.length > 0 && read.every((name) => sharded.has(name));
}
