import type { Warehouse } from '../engine/warehouse.js';
import type { ColumnMapping } from './column-roles.js';
import { CANDIDATE_DATE_FORMATS, dateFormatSql } from './detect-date-format.js';

/**
 * For files without a header: guess roles from the values of a sample (its first rows). The rules, in order:
 *
 * - date: the column most values of which read as dates (90% or more).
 * - order id and customer id (among the columns that are not decimals): the lines of an order share its date and its
 *   customer, a customer's orders spread over several dates. The order id is the column whose values repeat on
 *   several lines (3 values or more do) and whose lines share one date and one value of another column with fewer
 *   distinct values; the customer id is that other column, the one with the most distinct values when there are
 *   several (a customer's country, region or store has fewer). 98% of the repeated values must agree (a few orders
 *   cross a minute).
 * - count: the right-most column (not the first) of whole numbers up to 10,000 whose median is at most 100 and that
 *   is not an id: where an order id was found, not the same on (nearly) every line of an order, as a store code is;
 *   without one, not spread evenly from 1 to its largest value (more than 5 values, median at least 35% of the
 *   largest), as ids numbered from 1 are — counts pile up at 1 and 2. (A review saw price × customer id and price ×
 *   store code read as revenue; a second one the quantity lost where it was 1 on most lines, or no order id was found.)
 * - unit price or line total: with a count, a numeric column with decimals is a unit price when it
 *   does not grow with the count — its spread (variance of the logarithm) is smaller than that of the value per unit
 *   (value ÷ count); a line total ÷ its count is a price, which spreads less than the total. The order value is then
 *   quantity × unit price (the left-most) and any line-total-like column (a cost, a tax, the line total itself) is
 *   left unread: a cost grows with the count as a line total does. Otherwise the amount is the right-most decimal
 *   column, with the count (if any) as its quantity.
 * - without an order id the customer is the left-most remaining column, as in the CDNOW layout (customer ids, dates,
 *   counts, amounts).
 * - product id: with an order id, the left-most remaining column of codes (no blanks) that differs between the lines
 *   of most orders and repeats (fewer distinct values than lines).
 *
 * The ingest report says which roles were guessed, so a wrong guess is seen and fixed with --map; `doubts` names a
 * guess the values leave open (a customer column each value of which has one date, as an order id's would).
 */
/** Non-empty values of each column the guess looks at. */
export const ROLE_GUESS_SAMPLE_ROWS = 5000;

/** Share of the repeated values of an order id that must share one date and one customer. */
const AGREE = 0.98;

export interface RoleGuess {
  readonly mapping: ColumnMapping;
  /** warnings naming a guess the values leave open, with the --map that fixes it */
  readonly doubts: string[];
}

interface ColumnStats {
  column: string;
  dates: number;
  numbers: number;
  integers: number;
  decimals: number;
  codes: number;
  maxAbs: number;
  median: number;
  distinct: number;
  filled: number;
}

export async function guessColumnRoles(warehouse: Warehouse, table: string, columns: readonly string[], sampleSize = ROLE_GUESS_SAMPLE_ROWS): Promise<RoleGuess> {
  const d = warehouse.dialect;
  const stats: ColumnStats[] = await Promise.all(
    columns.map(async (column) => {
      const v = `trim(${d.identifier(column)})`;
      const dateAny = `COALESCE(${CANDIDATE_DATE_FORMATS.filter((f) => !f.startsWith('epoch')).map((f) => dateFormatSql(d, 'v', f)).join(', ')})`;
      const [row] = await warehouse.query(`
        SELECT count(*) AS n,
          count(*) FILTER (WHERE ${dateAny} IS NOT NULL) AS dates,
          count(*) FILTER (WHERE ${d.tryNumber('v')} IS NOT NULL) AS numbers,
          count(*) FILTER (WHERE ${d.fullMatch('v', '-?[0-9]+')}) AS integers,
          count(*) FILTER (WHERE ${d.fullMatch('v', '-?[0-9]*[.,][0-9]+')}) AS decimals,
          count(*) FILTER (WHERE ${d.fullMatch('v', '[^ ]+')}) AS codes,
          count(DISTINCT v) AS distinct_values,
          max(abs(${d.tryNumber('v')})) AS max_abs,
          median(abs(${d.tryNumber('v')})) AS median_abs
        FROM (SELECT ${v} AS v FROM ${table} WHERE ${v} <> '' LIMIT ${sampleSize}) s`);
      const n = Math.max(1, Number(row!.n));
      return {
        column,
        dates: Number(row!.dates) / n,
        numbers: Number(row!.numbers) / n,
        integers: Number(row!.integers) / n,
        decimals: Number(row!.decimals) / n,
        codes: Number(row!.codes) / n,
        maxAbs: Number(row!.max_abs),
        median: Number(row!.median_abs),
        distinct: Number(row!.distinct_values),
        filled: Number(row!.n),
      };
    }),
  );
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  const take = (role: keyof ColumnMapping, s: ColumnStats) => {
    mapping[role] = s.column;
    taken.add(s.column);
  };
  const date = [...stats].filter((s) => s.dates >= 0.9).sort((a, b) => b.dates - a.dates)[0];
  if (date) take('date', date);
  // the order id and the customer id first, among the columns that are not amounts: a count cannot be told from an id
  // numbered from 1 or a store code by its values alone, but it differs between the lines of an order and they do not
  const decimalsAll = stats.filter((s) => !taken.has(s.column) && s.numbers >= 0.95 && s.decimals > 0.2);
  const idCandidates = stats.filter((s) => !taken.has(s.column) && s.filled > 0 && !decimalsAll.includes(s));
  const ids = date ? await orderAndCustomer(warehouse, table, date.column, idCandidates, sampleSize) : undefined;
  if (ids) {
    take('order_id', ids.order);
    take('customer_id', ids.customer);
  }
  const smallWholeNumbers = (s: ColumnStats) => !taken.has(s.column) && s.integers >= 0.95 && s.maxAbs <= 10_000 && s.median <= 100 && stats.indexOf(s) > 0;
  // with orders known a count is not the same on (nearly) every line of an order, as a store code is; without, it is not
  // spread evenly from 1 to its largest value, as ids numbered from 1 are (median about half the largest: 1..60 → 30),
  // where counts pile up at the small end (mostly 1 or 2, now and then 12 or 24); five values or fewer prove nothing
  const countLike = (s: ColumnStats) => (ids ? !ids.constant.has(s.column) : !(s.distinct > 5 && s.median >= 0.35 * s.maxAbs));
  const count = [...stats].reverse().find((s) => smallWholeNumbers(s) && countLike(s));
  const decimals = decimalsAll.filter((s) => s !== count);
  const unitPrices = count ? await columnsNotGrowingWith(warehouse, table, count.column, decimals, sampleSize) : [];
  if (count && unitPrices.length > 0) {
    take('quantity', count);
    take('unit_price', unitPrices[0]!);
    for (const s of decimals) taken.add(s.column); // a line total beside them, or a cost: left unread
  } else if (decimals.length > 0) {
    take('amount', decimals[decimals.length - 1]!);
    if (count) take('quantity', count);
  }
  const doubts: string[] = [];
  if (ids) {
    const product = stats.find((s) => !taken.has(s.column) && s.codes >= 0.95 && s.distinct < s.filled && ids.varying.has(s.column));
    if (product) take('product_id', product);
  } else {
    const rest = stats.filter((s) => !taken.has(s.column) && s.filled > 0);
    if (rest[0]) {
      take('customer_id', rest[0]);
      // the other id-like columns (not the count: an id numbered from 1 is not taken for one, see countLike)
      const others = rest.slice(1).filter((s) => s.codes >= 0.95 && s.distinct >= 2 && s.decimals < 0.5);
      if (date && others.length > 0 && (await oneDateEach(warehouse, table, rest[0].column, date.column, sampleSize))) {
        const positions = others.map((s) => stats.indexOf(s) + 1);
        const which = positions.length === 1 ? `column ${positions[0]} is` : `one of columns ${positions.join(', ')} is`;
        doubts.push(
          `no header: the customer id guessed, column ${stats.indexOf(rest[0]) + 1}, has one purchase date for each of its values (${rest[0].distinct} in the first rows read), as an order id would: if ${which} the customer id, pass --map customer_id=${positions.length === 1 ? positions[0] : '<its position>'}`,
        );
      }
    }
  }
  return { mapping, doubts };
}

/** The sample's first rows, each column's trimmed value (NULL when empty) named c0, c1, … by its position. */
function sampleRows(warehouse: Warehouse, table: string, columns: readonly string[], sampleSize: number): string {
  const d = warehouse.dialect;
  return `(SELECT ${columns.map((c, i) => `NULLIF(trim(${d.identifier(c)}), '') AS c${i}`).join(', ')} FROM ${table} LIMIT ${sampleSize})`;
}

/** The decimal columns that do not grow with the count (unit prices): var(ln x) < var(ln(x ÷ count)), over rows where both are positive. */
async function columnsNotGrowingWith(warehouse: Warehouse, table: string, count: string, decimals: readonly ColumnStats[], sampleSize: number): Promise<ColumnStats[]> {
  if (decimals.length === 0) return [];
  const d = warehouse.dialect;
  const rows = sampleRows(warehouse, table, [count, ...decimals.map((s) => s.column)], sampleSize);
  const num = (c: string) => d.tryNumber(c);
  const parts = decimals.map((_, i) => {
    // the logarithm of a value kept where the count and the value are positive (NULL elsewhere, left out of avg)
    const positive = (e: string) => `ln(CASE WHEN ${num('c0')} > 0 AND ${num(`c${i + 1}`)} > 0 THEN ${e} END)`;
    const x = positive(num(`c${i + 1}`));
    const perUnit = positive(`${num(`c${i + 1}`)} / ${num('c0')}`);
    const variance = (e: string) => `(avg(${e} * ${e}) - avg(${e}) * avg(${e}))`;
    return `${variance(x)} AS v${i}, ${variance(perUnit)} AS u${i}`;
  });
  const [row] = await warehouse.query(`SELECT ${parts.join(', ')} FROM ${rows} s`);
  return decimals.filter((_, i) => row![`v${i}`] !== null && Number(row![`v${i}`]) < Number(row![`u${i}`]));
}

/**
 * The order id and the customer id among `rest` (see guessColumnRoles), with the columns whose value differs between
 * the lines of most repeated order ids (a product's); undefined when no column qualifies as an order id.
 */
async function orderAndCustomer(warehouse: Warehouse, table: string, date: string, rest: readonly ColumnStats[], sampleSize: number): Promise<{ order: ColumnStats; customer: ColumnStats; varying: Set<string>; constant: Set<string> } | undefined> {
  if (rest.length < 2) return undefined;
  const columns = [date, ...rest.map((s) => s.column)];
  const rows = sampleRows(warehouse, table, columns, sampleSize);
  let best: { order: ColumnStats; customer: ColumnStats; varying: Set<string>; constant: Set<string> } | undefined;
  for (const [k, order] of rest.entries()) {
    const key = `c${k + 1}`;
    const per = columns.map((_, i) => `count(DISTINCT c${i}) AS d${i}`).join(', ');
    const agree = columns.map((_, i) => `count(*) FILTER (WHERE lines >= 2 AND d${i} <= 1) AS one${i}`).join(', ');
    const [row] = await warehouse.query(`SELECT count(*) FILTER (WHERE lines >= 2) AS multi, ${agree} FROM (SELECT ${key}, count(*) AS lines, ${per} FROM ${rows} s WHERE ${key} IS NOT NULL GROUP BY ${key}) g`);
    const multi = Number(row!.multi);
    const share = (i: number) => Number(row![`one${i}`]) / multi;
    if (multi < 3 || share(0) < AGREE) continue;
    const customers = rest.filter((s, i) => i !== k && s.distinct >= 2 && s.distinct < order.distinct && share(i + 1) >= AGREE);
    const customer = customers.sort((a, b) => b.distinct - a.distinct)[0];
    if (!customer || (best && best.order.distinct >= order.distinct)) continue;
    best = { order, customer, varying: new Set(rest.filter((_, i) => share(i + 1) < 0.5).map((s) => s.column)), constant: new Set(rest.filter((_, i) => i !== k && share(i + 1) >= AGREE).map((s) => s.column)) };
  }
  return best;
}

/** Whether no value of `column` has two dates in the sample (each value one purchase date, as an order id's). */
async function oneDateEach(warehouse: Warehouse, table: string, column: string, date: string, sampleSize: number): Promise<boolean> {
  const rows = sampleRows(warehouse, table, [column, date], sampleSize);
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM (SELECT c0 FROM ${rows} s WHERE c0 IS NOT NULL GROUP BY c0 HAVING count(DISTINCT c1) > 1) g`);
  return Number(row!.n) === 0;
}
