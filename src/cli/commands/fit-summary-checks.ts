/**
 * What `clvkit fit` checks in a summary file before fitting, naming the file's lines (the models' own checks name a
 * row by its index among the sorted unique tuples, which the user cannot find in the file): rows the models cannot read
 * (refused, by the models' own rules: `RFM_ROW_RULES`, the BG/BB's `isValidBgBbCustomer`), rows it cannot fit (T = 0;
 * for Gamma-Gamma a mean spend of 0: left out, said), customer ids on more than one row (warned: counted twice).
 */
import { UserError } from '../../core/errors/user-error.js';
import { plural } from '../../core/plural.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { isValidBgBbCustomer } from '../../models/bgbb/bgbb.js';
import { RFM_ROW_RULES } from '../../models/btyd/rfm-data.js';
import type { ModelEntry } from '../../models/model-registry.js';

export interface SummaryTuples {
  /** per role: one value per unique tuple */
  readonly columns: Record<string, Float64Array>;
  /** customers per tuple (the file's count column summed, or rows) */
  readonly weight: Float64Array;
  /** per tuple: the file's rows holding it, and the line of the first (the header is line 1), for error messages */
  readonly rows: Float64Array;
  readonly lines: Float64Array;
  readonly rowsRead: number;
  readonly rowsSkipped: number;
}

interface Fault {
  /** what the rows have, after "N rows have" / "1 row has" */
  readonly what: string;
  readonly hint: string;
  readonly bad: (i: number) => boolean;
}

/**
 * The faults a model's rules find in the tuples, in the order they are said. The file's values were read finite and
 * ≥ 0 (rows that are not are skipped before: `readSummaryTuples`), so a frequency breaks its rule only by not being
 * whole, and a recency only by being above T.
 */
function faultsOf(entry: ModelEntry, columns: Record<string, Float64Array>): Fault[] {
  const x = columns.frequency!;
  const wholeFrequency: Fault = {
    what: 'a frequency that is not a whole number',
    hint: 'frequency counts repeat purchases: whole numbers ≥ 0; clvkit summarize writes them',
    bad: (i) => !RFM_ROW_RULES.frequency(x[i]!),
  };
  if (entry.kind === 'spend') return [wholeFrequency];
  const recency = columns.recency!;
  if (entry.kind === 'opportunity') {
    const periods = columns.periods!;
    return [{
      what: `values ${entry.label} cannot read`,
      hint: 'whole numbers with 0 ≤ frequency ≤ recency ≤ periods, recency 0 exactly when frequency is 0: recency is the opportunity (1…periods) of the last repeat transaction',
      bad: (i) => !isValidBgBbCustomer(x[i]!, recency[i]!, periods[i]!),
    }];
  }
  const T = columns.T!;
  return [wholeFrequency, {
    what: 'recency above T',
    hint: 'recency is the time from the first to the last purchase and T from the first purchase to the end of the window, so 0 ≤ recency ≤ T',
    bad: (i) => !RFM_ROW_RULES.recency(recency[i]!, T[i]!),
  }];
}

/** Refuses a summary with rows the model cannot read, in one line: how many, and the first by its line in the file. */
export function refuseUnreadableRows(summary: string, entry: ModelEntry, tuples: SummaryTuples): void {
  const { columns, rows, lines } = tuples;
  for (const fault of faultsOf(entry, columns)) {
    let count = 0, first = -1;
    for (let i = 0; i < rows.length; i++) {
      if (!fault.bad(i)) continue;
      count += rows[i]!;
      if (first < 0 || lines[i]! < lines[first]!) first = i;
    }
    if (first < 0) continue;
    const values = entry.columns.map((role) => `${role === 'monetary' ? 'monetary_value' : role} ${columns[role]![first]}`).join(', ');
    throw new UserError(`${summary}: ${count === 1 ? '1 row has' : `${count.toLocaleString('en-US')} rows have`} ${fault.what} (first on line ${lines[first]}: ${values})`, fault.hint);
  }
}

/**
 * The tuples the model is fitted on, and how many rows of the file the others were: for the continuous-time models
 * without T = 0 (a first purchase on the last day of the window: clvkit summarize writes them; analyze leaves them out
 * too), for Gamma-Gamma without repeat buyers whose mean spend is 0 (it models spends > 0).
 */
export function withoutUnfittable(entry: ModelEntry, tuples: SummaryTuples): { tuples: SummaryTuples; rowsLeftOut: number } {
  const { T, monetary } = tuples.columns;
  const fits = entry.kind === 'purchase' ? (i: number) => T![i]! > 0 : entry.kind === 'spend' ? (i: number) => monetary![i]! > 0 : () => true;
  const keep: number[] = [];
  let rowsLeftOut = 0;
  for (let i = 0; i < tuples.rows.length; i++) {
    if (fits(i)) keep.push(i);
    else rowsLeftOut += tuples.rows[i]!;
  }
  if (rowsLeftOut === 0) return { tuples, rowsLeftOut };
  const pick = (values: Float64Array) => Float64Array.from(keep, (i) => values[i]!);
  const columns: Record<string, Float64Array> = {};
  for (const [role, values] of Object.entries(tuples.columns)) columns[role] = pick(values);
  return { tuples: { ...tuples, columns, weight: pick(tuples.weight), rows: pick(tuples.rows), lines: pick(tuples.lines) }, rowsLeftOut };
}

/** Why withoutUnfittable left rows out, after "N of M rows left out: ". */
export function leftOutReason(entry: ModelEntry): string {
  return entry.kind === 'spend'
    ? `repeat buyers (frequency > 0) with a monetary_value of 0, which ${entry.label} cannot fit (it models spends > 0); their repeat purchases were returned or free`
    : 'T is 0 (a first purchase on the last day of the window), where the models have no time to learn from';
}

const ID_COLUMNS = ['customer_id', 'customerid', 'id', 'customer', 'cust_id', 'client_id'];

/**
 * A warning when one customer id is on more than one row (a summary concatenated with itself, or with an overlapping
 * one): each row is fitted as a customer, so the repeated ones count twice. Null without an id column or repeats.
 */
export async function repeatedIdsWarning(warehouse: Warehouse, path: string): Promise<string | null> {
  const d = warehouse.dialect;
  const described = await warehouse.query(`DESCRIBE SELECT * FROM read_csv(${d.literal(path)}, header = true, sample_size = 1000)`);
  const names = described.map((row) => String(row.column_name));
  const column = ID_COLUMNS.map((id) => names.find((name) => name.toLowerCase() === id)).find((name) => name !== undefined);
  if (!column) return null;
  const [row] = await warehouse.query(`
    SELECT CAST(count(*) AS DOUBLE) AS ids, CAST(sum(n - 1) AS DOUBLE) AS extra, min(id) AS example
    FROM (SELECT trim(${d.identifier(column)}) AS id, count(*) AS n FROM read_csv(${d.literal(path)}, header = true, all_varchar = true)
          WHERE ${d.identifier(column)} IS NOT NULL AND trim(${d.identifier(column)}) <> '' GROUP BY 1 HAVING count(*) > 1)`);
  const ids = Number(row?.ids ?? 0);
  if (!(ids > 0)) return null;
  const extra = Number(row!.extra);
  return `${plural(ids, 'customer id')} (${column}) ${ids === 1 ? 'is' : 'are'} on more than one row (e.g. ${String(row!.example)}), ${plural(extra, 'row')} more than customers: each row is fitted as a customer of its own, so they count twice and the standard errors come out too small; drop the repeated rows`;
}
