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
 * says so.
 *
 * Example: `await describeRanges(wh, 'customer_summary s LEFT JOIN … c …', [{ name: 'p_alive', sql: 'c."p_alive"' }])` → ": p_alive runs from 0.0012 to 0.9987 among the 3,613 customers"
 */
export async function describeRanges(warehouse: Warehouse, source: string, ranged: CompiledWhere['ranged']): Promise<string> {
  if (ranged.length === 0) return '';
  const [row] = await warehouse.query(`SELECT count(*) AS n, ${ranged.map((r, i) => `min(${r.sql}) AS lo${i}, max(${r.sql}) AS hi${i}`).join(', ')} FROM ${source}`);
  const parts = ranged.map((r, i) => {
    const [lo, hi] = [row![`lo${i}`], row![`hi${i}`]];
    const name = i === 0 ? `${r.name} runs` : r.name;
    return lo === null || lo === undefined ? `${r.name} has no value` : `${name} from ${bound(lo, Math.floor)} to ${bound(hi, Math.ceil)}`;
  });
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `: ${list} among the ${Number(row!.n).toLocaleString('en-US')} customers`;
}
