/**
 * How far an audience filter that matched nobody would have to widen: the range of each number it compares by size
 * (`compileWhereExpression`'s `ranged`) among the customers it was matched against. An analyst whose
 * `predicted_clv_12m > 5000` matched no one learns that the values run to 812.40, not just "widen the filter".
 */
import type { Warehouse } from '../engine/warehouse.js';
import type { CompiledWhere } from './compile-where-expression.js';

/**
 * A bound in the hint: whole numbers as they are, others to 4 significant digits, the low end rounded down and the high
 * end up, so that every value lies within the range printed (0.99996 → "0.9999" as a low end, not "1").
 */
const bound = (v: unknown, round: (x: number) => number): string => {
  const x = Number(v);
  if (Number.isInteger(x) || !Number.isFinite(x)) return x.toLocaleString('en-US');
  const step = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 3);
  const rounded = round(x / step) * step;
  return Number(rounded.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 20 });
};

/**
 * `: frequency runs from 0 to 14 and p_alive from 0.0012 to 0.9987 among the 3,613 customers` (a leading colon, for
 * "widen the filter…"), or '' when the filter compares no number by size. A column none of them has (NULL for all)
 * says so; one only some of them have (a prospect's `conversion_propensity`, a buyer's `frequency`) says how many:
 * `conversion_propensity runs from 0.0004 to 0.0316 (1,000 of them have one) among the 3,000 customers` — the range
 * is not that of all 3,000.
 *
 * Example: `await describeRanges(wh, 'customer_summary s LEFT JOIN … c …', [{ name: 'p_alive', sql: 'c."p_alive"' }])` → ": p_alive runs from 0.0012 to 0.9987 among the 3,613 customers"
 */
export async function describeRanges(warehouse: Warehouse, source: string, ranged: CompiledWhere['ranged']): Promise<string> {
  if (ranged.length === 0) return '';
  const [row] = await warehouse.query(`SELECT count(*) AS n, ${ranged.map((r, i) => `min(${r.sql}) AS lo${i}, max(${r.sql}) AS hi${i}, count(${r.sql}) AS n${i}`).join(', ')} FROM ${source}`);
  const n = Number(row!.n);
  const parts = ranged.map((r, i) => {
    const [lo, hi, held] = [row![`lo${i}`], row![`hi${i}`], Number(row![`n${i}`])];
    const name = i === 0 ? `${r.name} runs` : r.name;
    if (lo === null || lo === undefined) return `${r.name} has no value`;
    return `${name} from ${bound(lo, Math.floor)} to ${bound(hi, Math.ceil)}${held < n ? ` (${held.toLocaleString('en-US')} of them have one)` : ''}`;
  });
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `: ${list} among the ${n.toLocaleString('en-US')} customers`;
}

/**
 * The columns (as named in the filter) that hold no value for any customer of `source`, and how many customers it
 * holds: a filter on one matched nobody, and no widening cures it (the churn early warning not scored when nobody in
 * its training window churned leaves `churn_risk_band` and `churn_probability` empty).
 *
 * Example: `await emptyColumns(wh, source, [{ name: 'churn_risk_band', sql: 'h."churn_risk_band"' }])` → `{ empty: ['churn_risk_band'], customers: 250 }`
 */
export async function emptyColumns(warehouse: Warehouse, source: string, columns: readonly { readonly name: string; readonly sql: string }[]): Promise<{ readonly empty: string[]; readonly customers: number }> {
  const unique = columns.filter((c, i) => columns.findIndex((o) => o.sql === c.sql) === i);
  if (unique.length === 0) return { empty: [], customers: 0 };
  const [row] = await warehouse.query(`SELECT count(*) AS n, ${unique.map((c, i) => `count(${c.sql}) AS n${i}`).join(', ')} FROM ${source}`);
  return { empty: unique.filter((_, i) => Number(row![`n${i}`]) === 0).map((c) => c.name), customers: Number(row!.n) };
}
