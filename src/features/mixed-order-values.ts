import type { Warehouse } from '../engine/warehouse.js';

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** Purchase lines (returns left out) and how many of them have an order value (amount not NULL). */
export interface OrderValueLines {
  readonly purchases: number;
  readonly valued: number;
}

/** How many purchase lines `transactions` holds, and how many of them have an order value: one scan of two columns. */
export async function orderValueLines(warehouse: Warehouse): Promise<OrderValueLines> {
  const [row] = await warehouse.query('SELECT count(*) AS n, count(amount) AS valued FROM transactions WHERE NOT is_return');
  return { purchases: Number(row!.n), valued: Number(row!.valued) };
}

/** Whether the purchases have order values: some line has one, or there is no purchase (nothing says they are missing). */
export const hasValuedLines = (lines: OrderValueLines): boolean => lines.purchases === 0 || lines.valued > 0;

/** Some purchase lines have an order value and some have none: files with and without order values in one warehouse. */
export const mixesOrderValues = (lines: OrderValueLines): boolean => lines.valued > 0 && lines.valued < lines.purchases;

/** What the customer summary says of a mixed warehouse: the customers its spend statistics leave days out for. */
export interface MixedSummaryCounts {
  /** customers with a repeat occasion whose lines have no amount (their mean repeat spend leaves it out) */
  readonly repeatsWithout: number;
  /** of them, those with no repeat occasion that has an amount: no mean repeat spend of their own (Gamma-Gamma: the population's) */
  readonly noValuedRepeat: number;
  /** customers none of whose purchases has an amount: no spend at all (total spend, historic CLV empty) */
  readonly noSpend: number;
}

/** The counts of `MixedSummaryCounts` from a customer summary table (`buildCustomerSummarySql`'s columns). */
export async function mixedSummaryCounts(warehouse: Warehouse, summaryTable: string): Promise<MixedSummaryCounts> {
  const [row] = await warehouse.query(`SELECT
      sum(CASE WHEN frequency > monetary_frequency THEN 1 ELSE 0 END) AS repeats_without,
      sum(CASE WHEN frequency > 0 AND monetary_frequency = 0 THEN 1 ELSE 0 END) AS no_valued_repeat,
      sum(CASE WHEN total_spend IS NULL THEN 1 ELSE 0 END) AS no_spend
    FROM ${summaryTable}`);
  return { repeatsWithout: Number(row?.repeats_without ?? 0), noValuedRepeat: Number(row?.no_valued_repeat ?? 0), noSpend: Number(row?.no_spend ?? 0) };
}

/**
 * A warning when the warehouse mixes files with and without order values (a file of customer ids and dates beside
 * order files), with numbers, or null when it does not. Its purchases count as purchases (frequency, P(alive), stages)
 * but not as spends: spend statistics (monetary value, the Gamma-Gamma spend model, AOV) are taken over the occasions
 * with a known amount, and revenue and historic CLV count the known amounts only. `summary`: the counts of the run's
 * customer summary (analyze), in `occasions` (purchase days, or orders with `--grain order`).
 *
 * Example: `await mixedOrderValuesWarning(warehouse)` → `'the warehouse mixes files with and without order values: 808
 * purchase lines (visits.csv) have no amount, beside 181,356 with one; …'`
 */
export async function mixedOrderValuesWarning(
  warehouse: Warehouse,
  options: { readonly lines?: OrderValueLines; readonly summary?: MixedSummaryCounts; readonly occasions?: 'days' | 'orders' } = {},
): Promise<string | null> {
  const lines = options.lines ?? (await orderValueLines(warehouse));
  if (!mixesOrderValues(lines)) return null;
  const sources = await warehouse.query('SELECT source, count(*) AS lines FROM transactions WHERE NOT is_return AND amount IS NULL GROUP BY source ORDER BY lines DESC, source LIMIT 4');
  const names = sources.slice(0, 3).map((row) => String(row.source));
  const from = `${names.join(', ')}${sources.length > 3 ? ' and more' : ''}`;
  const without = lines.purchases - lines.valued;
  const occasion = options.occasions === 'orders' ? 'order' : 'day';
  const head = `the warehouse mixes files with and without order values: ${plural(without, 'purchase line')} (${from}) ${without === 1 ? 'has' : 'have'} no amount, beside ${count(lines.valued)} with one`;
  const rule = `${occasion === 'day' ? 'a purchase day' : 'an order'} without an amount counts as a purchase, not as a spend of 0: monetary value, the spend model and the average order take the ${occasion}s with a known amount, and revenue and historic CLV count the known amounts only`;
  const s = options.summary;
  if (!s) return `${head}; ${rule}`;
  const customers = [
    `${plural(s.repeatsWithout, 'customer')} ${s.repeatsWithout === 1 ? 'has' : 'have'} repeat ${occasion}s without one`,
    ...(s.noValuedRepeat > 0 ? [`${count(s.noValuedRepeat)} of them none with one (their spend per purchase is the population's mean)`] : []),
    ...(s.noSpend > 0 ? [`${count(s.noSpend)} ${s.noSpend === 1 ? 'has' : 'have'} no known spend at all (total spend and historic CLV empty)`] : []),
  ];
  return `${head}; ${rule} — ${customers.join(', ')}`;
}
