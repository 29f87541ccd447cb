/**
 * The parts of the customer 360 read from the warehouse and the run's files:
 * every derived table's row, the orders, the audiences the customer was drawn
 * into, the recommendations the run wrote.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DERIVED_TABLES } from '../../engine/derived-tables.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { tableExists } from '../../features/table-exists.js';
import { dayOfValue } from '../../core/calendar-days.js';
import type { CustomerDetailResponse } from './read-api-types.js';
import { numberOrNull, plainValue } from './read-customer-query.js';

/** Most orders the 360 lists (newest first; the total is given). */
export const MAX_ORDERS = 100;

/** Every derived table's row of the customer, by table (columns other than `customer_id`). */
export async function readCustomerScores(warehouse: Warehouse, token: string): Promise<CustomerDetailResponse['scores']> {
  const d = warehouse.dialect;
  const scores: Record<string, Record<string, string | number | null>> = {};
  for (const table of DERIVED_TABLES) {
    if (!(await tableExists(warehouse, table.name))) continue;
    const [row] = await warehouse.query(`SELECT * FROM ${d.identifier(table.name)} WHERE customer_id = ${d.literal(token)} LIMIT 1`);
    if (!row) continue;
    scores[table.name] = Object.fromEntries(Object.entries(row).filter(([column]) => column !== 'customer_id').map(([column, value]) => [column, plainValue(value)]));
  }
  return scores;
}

/**
 * The customer's orders (lines grouped by order id and day; their amounts exact sums, 0.6 and not 0.6000000000000001), newest first, and how many there are.
 * The sum is named `order_amount`, not `amount`: on ClickHouse an exact sum may not take the name of a column it reads (clickhouse-dialect.ts `named`).
 */
export async function readCustomerOrders(warehouse: Warehouse, token: string): Promise<Pick<CustomerDetailResponse, 'orders' | 'ordersTotal'>> {
  const d = warehouse.dialect;
  if (!(await tableExists(warehouse, 'transactions'))) return { orders: [], ordersTotal: 0 };
  const grouped = `SELECT order_id, ${d.dayOf('ts')} AS day, count(*) AS lines, ${d.orderFreeSum('amount')} AS order_amount, max(CASE WHEN is_return THEN 1 ELSE 0 END) AS returns
    FROM transactions WHERE customer_id = ${d.literal(token)} GROUP BY order_id, ${d.dayOf('ts')}`;
  const [total] = await warehouse.query(`SELECT count(*) AS n FROM (${grouped}) o`);
  const rows = await warehouse.query(`SELECT order_id, CAST(day AS VARCHAR) AS day, lines, order_amount AS amount, returns FROM (${grouped}) o ORDER BY day DESC, order_id LIMIT ${MAX_ORDERS}`);
  return {
    ordersTotal: Number(total?.n ?? 0),
    orders: rows.map((r) => ({ orderId: r.order_id === null ? null : String(r.order_id), day: String(r.day).slice(0, 10), lines: Number(r.lines), amount: numberOrNull(r.amount), returns: Number(r.returns) === 1 })),
  };
}

/**
 * The audiences the customer was drawn into (audience_members: internal, the token alone): name, group (treatment:
 * contacted; control: held out), send date and play, newest send date first. `clvkit customer` and the API's 360 both
 * read it.
 */
export async function readCustomerAudiences(warehouse: Warehouse, token: string): Promise<CustomerDetailResponse['audiences']> {
  const d = warehouse.dialect;
  if (!(await tableExists(warehouse, 'audience_members')) || !(await tableExists(warehouse, 'audiences'))) return [];
  const rows = await warehouse.query(`SELECT a.name AS name, m.group_name AS group_name, a.send_date AS send_date, a.play AS play
    FROM audience_members m JOIN audiences a ON a.name = m.audience WHERE m.customer_id = ${d.literal(token)} ORDER BY a.send_date DESC, a.name`);
  return rows.map((r) => ({ name: String(r.name), group: String(r.group_name), sendDate: dayOfValue(r.send_date), play: r.play === null || r.play === undefined || r.play === '' ? null : String(r.play) }));
}

/** Splits one CSV line (RFC 4180 quoting). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      cells.push(value);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      cells.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return cells;
}

/**
 * The customer's lines of the run's recommendations.csv
 * (`customer_id,rank,product_id|category,description,score,source`; a run
 * that revealed ids has `original_id` after `customer_id`: the cells are
 * found by the header), read as a stream; none when the run wrote no file.
 */
export async function readCustomerRecommendations(csvPath: string | null, token: string): Promise<CustomerDetailResponse['recommendations']> {
  if (!csvPath || !existsSync(csvPath)) return [];
  const found: { rank: number; item: string; score: number | null }[] = [];
  const lines = createInterface({ input: createReadStream(csvPath, 'utf8'), crlfDelay: Infinity });
  let header: string[] | null = null;
  for await (const line of lines) {
    if (header === null) {
      header = parseCsvLine(line);
      continue;
    }
    if (!line.startsWith(token) && !line.startsWith(`"${token}`)) continue;
    const cells = parseCsvLine(line);
    if (cells[0] !== token) continue;
    const at = header.indexOf('rank'); // the item, description and score follow it
    const [item, description] = [cells[at + 1] ?? '', cells[at + 2] ?? ''];
    found.push({ rank: Number(cells[at]), item: description && description !== item ? `${item} ${description}` : item, score: numberOrNull(cells[at + 3]) });
  }
  return found.sort((a, b) => a.rank - b.rank);
}
