/**
 * The warnings that a file's accepted lines may repeat purchases the warehouse holds from earlier files: duplicates
 * are recognised by their text, so the same purchases exported again otherwise — the columns reordered, a column added
 * or left out, the dates written otherwise — are new text, accepted and counted twice. Warned about, never refused: a
 * later file may rightly add lines to an order, and a customer may buy the same thing again.
 *
 * - `repeatedOrderIdsWarning`: accepted lines carry order ids the warehouse holds.
 * - `repeatedLinesWarning`: accepted lines without an order id repeat held purchases: the same customer, time and
 *   amount (see there).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { forEachChunk, textColumn } from '../engine/read-chunks.js';
import { CLEAN_TABLE, ORDERS_HELD_ELSEWHERE } from './judge-rows.js';
import { formatAmount } from '../report/format-number.js';

/**
 * A warning when accepted lines carry order ids the warehouse already holds from earlier files (an export of the same
 * orders with its columns reordered, a column added or its dates written otherwise: a user trial, +20% revenue, no
 * word). Skipped for an empty warehouse. `heldElsewhere`: the order ids another store holds are in
 * ORDERS_HELD_ELSEWHERE too (a cluster: `rowsHeldElsewhere`).
 */
export async function repeatedOrderIdsWarning(warehouse: Warehouse, accepted: number, heldElsewhere: boolean): Promise<string | null> {
  if (accepted === 0) return null;
  const heldOrders = `SELECT order_id FROM transactions WHERE order_id IS NOT NULL${heldElsewhere ? ` UNION ALL SELECT order_id FROM ${ORDERS_HELD_ELSEWHERE}` : ''}`;
  const [held] = await warehouse.query(`SELECT count(*) AS n FROM (${heldOrders} LIMIT 1) t`);
  if (Number(held!.n) === 0) return null;
  const [row] = await warehouse.query(`SELECT count(*) AS lines, count(DISTINCT order_id) AS orders FROM ${CLEAN_TABLE} WHERE reason IS NULL AND order_id IN (${heldOrders})`);
  const lines = Number(row!.lines);
  if (lines === 0) return null;
  return `${lines.toLocaleString('en-US')} accepted line${lines === 1 ? '' : 's'} (${Number(row!.orders).toLocaleString('en-US')} order${Number(row!.orders) === 1 ? '' : 's'}) repeat order ids the warehouse already holds from earlier files: if this file overlaps one ingested before but its columns are ordered, added or formatted otherwise, those orders now count twice (duplicates are recognised by their text)`;
}

/**
 * How lines without an order id are compared with held ones: `time`, by their time to the second (the file's dates
 * have a time of day), or `day`, by the day (dates only).
 */
export type RepeatPrecision = 'time' | 'day';

/**
 * What `repeatedLinesWarning` asks another store (`IngestOptions.linesHeldElsewhere`: the cluster a local ingest is
 * copied to) about a file's lines without an order id, by their (customer, time) — a slot.
 */
export interface HeldLinesQuestion {
  readonly precision: RepeatPrecision;
  /** the file's span in whole days, `from` inclusive, `to` exclusive (`YYYY-MM-DD HH:MM:SS`, shop time) */
  readonly from: string;
  readonly to: string;
  /**
   * Hands `work` the file's slots, a chunk at a time: the customer key as stored (a token with a key), the time in
   * seconds since 1970 (shop time read as UTC; to the second, or the day at 00:00), the slot's lines and their amounts'
   * sum in whole cents (`CENTS`; null when no line has an amount). Returns the slots handed.
   */
  readonly forEachSlot: (work: (slots: FileSlots) => Promise<void>) => Promise<number>;
}

/** A chunk of a file's slots (`HeldLinesQuestion.forEachSlot`), one entry per slot. */
export interface FileSlots {
  readonly customerIds: readonly string[];
  readonly times: readonly number[];
  readonly lines: readonly number[];
  readonly cents: readonly (number | null)[];
}

/**
 * Held lines of the slots asked, grouped by (customer, time as asked in seconds, amount in cents, product, ingest):
 * `amount` their exact sum (null when none has one), `n` their count, `source` the file of the ingest.
 */
export interface HeldLines {
  readonly customer_id: readonly string[];
  readonly t: readonly number[];
  readonly cents: readonly (number | null)[];
  readonly amount: readonly (number | null)[];
  readonly product_id: readonly (string | null)[];
  readonly n: readonly number[];
  readonly ingest_id: readonly number[];
  readonly source: readonly string[];
}

/**
 * Another store's answer to a `HeldLinesQuestion`, the slot totals compared where the held lines are: the file's
 * slots whose total in cents equals the total an earlier ingest holds there (`sameTotal`: their lines, their
 * amounts' sum from those totals, and per earlier ingest its lines there), and the days of the span on which it holds
 * any line (asked only at `day` precision; in seconds, as the times asked). The held lines of the other slots it holds (to be compared line by line)
 * go to `keep`, in chunks.
 */
export interface HeldLinesAnswer {
  readonly sameTotal: { readonly lines: number; readonly revenue: number | null; readonly ingests: readonly HeldIngestLines[] };
  readonly days: readonly number[];
}

/** An earlier ingest and its lines at the matched slots. */
export interface HeldIngestLines {
  readonly ingestId: number;
  readonly source: string;
  readonly lines: number;
}

/** Answers a `HeldLinesQuestion`; null when the store holds no line in the span (then it need not read the slots). */
export type LinesHeldElsewhere = (question: HeldLinesQuestion, keep: (lines: HeldLines) => Promise<void>) => Promise<HeldLinesAnswer | null>;

/**
 * At `day` precision the warning needs at least this share of the lines on days the warehouse holds to match: with
 * dates only, a customer who buys the same again on a day matches a held purchase by chance (an honest file of another
 * channel for the same weeks, a day split between two exports), a re-export nearly always.
 */
export const REPEATED_DAY_SHARE = 0.5;

/** An amount in whole cents, half a cent up (`floor`, the same on every engine: their `round` differ on ties). */
export const CENTS = (amount: string) => `floor(${amount} * 100 + 0.5)`;

const LINES_HELD_ELSEWHERE = 'clv_lines_held_elsewhere';
const DAYS_HELD_ELSEWHERE = 'clv_days_held_elsewhere';
const NEW_LINES = 'clv_repeat_new';
const HELD_LINES = 'clv_repeat_held';
const MATCHED = 'clv_repeat_matched';

export interface RepeatedLinesInput {
  /** the customer key of a clean row `c` as stored (its token, or the id as given) and the join that gives it */
  readonly keyColumnSql: string;
  readonly joinSql: string;
  /** the same question asked of another store (`IngestOptions.linesHeldElsewhere`) */
  readonly linesHeldElsewhere?: LinesHeldElsewhere;
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * A warning when accepted lines without an order id repeat purchases the warehouse holds from earlier files — a
 * re-export without order ids (customer, date, amount, maybe product) of data ingested before, counted twice without a
 * word. A line repeats a held purchase when the warehouse holds, for the same customer at the same time (to the second
 * when the file's dates have a time of day, else the day: `RepeatPrecision`), lines of one earlier ingest whose
 * amounts add up to the same total in cents as the file's lines there (the same lines, or an export of order totals
 * against one of order lines, or the reverse) — else the same line: the same amount in cents, and the same product
 * where both name one; counted per line, at most as often as the warehouse holds it (a third purchase of the same
 * against two held is not one).
 *
 * At `time` precision any repeat is warned about; at `day` precision only when at least REPEATED_DAY_SHARE of the
 * file's lines on days the warehouse holds repeat one, and the warning says that the match is by the day. Skipped
 * (no cost beyond a look at the span) when the file has no line without an order id or the warehouse holds no line in
 * the file's span — a first ingest, the next month's file. Held lines with a time of day are compared by the day for a
 * file of dates only; held lines of dates only are not found by a file with times of day (they match only at
 * midnight).
 */
export async function repeatedLinesWarning(warehouse: Warehouse, input: RepeatedLinesInput): Promise<string | null> {
  const fileLines = `${CLEAN_TABLE} c ${input.joinSql} WHERE c.reason IS NULL AND c.order_id IS NULL`;
  const [file] = await warehouse.query(`
    SELECT count(*) AS n, count(*) FILTER (WHERE ts <> date_trunc('day', ts)) AS timed, sum(amount) AS revenue,
      CAST(date_trunc('day', min(ts)) AS VARCHAR) AS from_day, CAST(date_trunc('day', max(ts)) + INTERVAL 1 DAY AS VARCHAR) AS to_day
    FROM ${CLEAN_TABLE} WHERE reason IS NULL AND order_id IS NULL`);
  const lines = Number(file!.n);
  if (lines === 0) return null;
  const precision: RepeatPrecision = Number(file!.timed) > 0 ? 'time' : 'day';
  const from = String(file!.from_day);
  const to = String(file!.to_day);
  const time = (ts: string) => `date_trunc('${precision === 'time' ? 'second' : 'day'}', ${ts})`;
  const span = `ts >= TIMESTAMP '${from}' AND ts < TIMESTAMP '${to}'`;
  const heldHere = (await warehouse.query(`SELECT 1 AS one FROM transactions WHERE ${span} LIMIT 1`)).length > 0;
  // A line's keys as 64-bit hashes (integer joins and groupings instead of ones over texts; a collision, ~1 in 10^7
  // at 10^6 lines, could only add a match): its slot (customer, time), its slot and amount in cents, its product
  const keys = (customer: string, ts: string, cents: string, product: string) =>
    `hash(${customer}, ${ts}) AS slot, hash(slot, ${cents}) AS line, CASE WHEN ${product} IS NOT NULL THEN hash(${product}) END AS product`;
  try {
    const slotsSql = `SELECT ${input.keyColumnSql} AS customer_id, CAST(epoch(${time('c.ts')}) AS BIGINT) AS t, count(*) AS n, ${CENTS('sum(c.amount)')} AS cents FROM ${fileLines} GROUP BY 1, 2`;
    const elsewhere = input.linesHeldElsewhere ? await askElsewhere(warehouse, input.linesHeldElsewhere, { precision, from, to }, slotsSql) : null;
    if (!heldHere && elsewhere === null) return null;
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${NEW_LINES} AS SELECT ${keys(input.keyColumnSql, time('c.ts'), CENTS('c.amount'), 'c.product_id')}, c.amount FROM ${fileLines}`);
    const held = [
      ...(heldHere ? [`SELECT ${keys('customer_id', time('ts'), CENTS('amount'), 'product_id')}, 1 AS n, amount, ingest_id FROM transactions WHERE ${span}`] : []),
      ...(elsewhere ? [`SELECT ${keys('customer_id', 'make_timestamp(t * 1000000)', 'cents', 'product_id')}, n, amount, ingest_id FROM ${LINES_HELD_ELSEWHERE}`] : []),
    ].join(' UNION ALL ');
    // the held lines at the slots of the file's lines
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${HELD_LINES} AS SELECT * FROM (${held}) h WHERE slot IN (SELECT slot FROM ${NEW_LINES})`);
    // The file's lines at a slot held: all of them when they add up to the total an earlier ingest holds there (the
    // same lines, or an order's total against its lines; revenue from the total in cents, as a cluster counts it); else,
    // per line, as many as the held lines of the same amount and product (where both name one) — (slot, lines, revenue)
    await warehouse.execute(`
      CREATE OR REPLACE TEMP TABLE ${MATCHED} AS
      WITH new_slots AS (
        SELECT slot, count(*) AS n, ${CENTS('sum(amount)')} AS cents FROM ${NEW_LINES} WHERE slot IN (SELECT slot FROM ${HELD_LINES}) GROUP BY slot
      ),
      same_total AS (SELECT slot, n, cents FROM new_slots WHERE hash(slot, cents) IN (SELECT hash(slot, ${CENTS('sum(amount)')}) FROM ${HELD_LINES} GROUP BY slot, ingest_id)),
      rest AS (SELECT slot FROM new_slots WHERE slot NOT IN (SELECT slot FROM same_total)),
      new_lines AS (SELECT any_value(slot) AS slot, line, product, count(*) AS n, sum(amount) AS amount FROM ${NEW_LINES} WHERE slot IN (SELECT slot FROM rest) GROUP BY line, product),
      held_lines AS (SELECT line, product, sum(n) AS n FROM ${HELD_LINES} WHERE slot IN (SELECT slot FROM rest) GROUP BY line, product)
      SELECT slot, n AS m, cents / 100 AS revenue FROM same_total
      UNION ALL
      SELECT g.slot, least(g.n, sum(h.n)) AS m, least(g.n, sum(h.n)) * g.amount / g.n AS revenue
      FROM new_lines g JOIN held_lines h ON h.line = g.line AND (g.product IS NULL OR h.product IS NULL OR h.product = g.product)
      GROUP BY g.slot, g.line, g.product, g.n, g.amount`);
    const [here] = await warehouse.query(`SELECT COALESCE(sum(m), 0) AS lines, sum(revenue) AS revenue FROM ${MATCHED}`);
    const repeated = Number(here!.lines) + (elsewhere?.sameTotal.lines ?? 0);
    if (repeated === 0) return null;
    const revenues = [here!.revenue, elsewhere?.sameTotal.revenue].filter((r) => r !== null && r !== undefined).map(Number);
    let onHeldDays = lines;
    if (precision === 'day') {
      const heldDays = [
        ...(heldHere ? [`SELECT DISTINCT date_trunc('day', ts) AS t FROM transactions WHERE ${span}`] : []),
        ...(elsewhere ? [`SELECT make_timestamp(t * 1000000) AS t FROM ${DAYS_HELD_ELSEWHERE}`] : []),
      ].join(' UNION ');
      const [days] = await warehouse.query(`SELECT count(*) AS n FROM ${CLEAN_TABLE} WHERE reason IS NULL AND order_id IS NULL AND date_trunc('day', ts) IN (${heldDays})`);
      onHeldDays = Number(days!.n);
      if (repeated < REPEATED_DAY_SHARE * onHeldDays) return null;
    }
    // the earlier ingests of the held lines at the matched slots, most lines first, and their files
    const sourcesOf = [...(heldHere ? ['SELECT ingest_id, source FROM ingests'] : []), ...(elsewhere ? [`SELECT DISTINCT ingest_id, source FROM ${LINES_HELD_ELSEWHERE}`] : [])].join(' UNION ');
    const ingests = new Map<number, HeldIngestLines>();
    const add = (ingest: HeldIngestLines) => ingests.set(ingest.ingestId, { ...ingest, lines: ingest.lines + (ingests.get(ingest.ingestId)?.lines ?? 0) });
    for (const row of await warehouse.query(`
      SELECT m.ingest_id, m.n, (SELECT any_value(s.source) FROM (${sourcesOf}) s WHERE s.ingest_id = m.ingest_id) AS source
      FROM (SELECT ingest_id, sum(n) AS n FROM ${HELD_LINES} WHERE slot IN (SELECT slot FROM ${MATCHED}) GROUP BY ingest_id) m`)) {
      add({ ingestId: Number(row.ingest_id), source: String(row.source), lines: Number(row.n) });
    }
    for (const ingest of elsewhere?.sameTotal.ingests ?? []) add(ingest);
    const earliest = [...ingests.values()].sort((a, b) => b.lines - a.lines || a.ingestId - b.ingestId);
    const earlier = `${earliest.slice(0, 3).map((i) => `${i.source} (ingest ${i.ingestId})`).join(', ')}${earliest.length > 3 ? ' and others' : ''}`;
    const revenue = revenues.length === 0 ? '' : ` (revenue ${formatAmount(revenues.reduce((a, b) => a + b, 0))}${file!.revenue === null ? '' : ` of ${formatAmount(Number(file!.revenue))}`})`;
    // of the file's accepted lines without an order id: exact copies within the file, quarantined as duplicates (and
    // named by copiesWithoutOrderIdWarning), are not among them, so no line is counted by both warnings
    const which = `${repeated.toLocaleString('en-US')} of the file's ${count(lines, 'accepted line')} without an order id${revenue}`;
    // the command to run, with the id of the earlier ingest holding most of the lines (not a placeholder to look up)
    const first = earliest[0]?.ingestId;
    const dropEarlier = first === undefined ? 'clvkit ingests list names the earlier ingest; clvkit ingests drop ID --role admin drops it' : `clvkit ingests drop ${first} --role admin drops ingest ${first}`;
    const hint = `if it re-exports data ingested before, those purchases now count twice: keep one of the two ingests (${dropEarlier}; to drop this file's instead, its id is the newest in clvkit ingests list)`;
    if (precision === 'time') {
      return `${which} repeat${repeated === 1 ? 's' : ''} purchases the warehouse holds from ${earlier}: the same customer, time and amount (the same line, or lines of that time with the same total); ${hint}`;
    }
    return `${which} — ${Math.round((100 * repeated) / onHeldDays)}% of the ${onHeldDays.toLocaleString('en-US')} on days the warehouse holds — repeat${repeated === 1 ? 's' : ''} purchases it holds from ${earlier}: the same customer, day and amount. The dates have no time of day, so a customer buying the same again that day matches too, but this share suggests the file overlaps one ingested before; ${hint}`;
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${NEW_LINES}; DROP TABLE IF EXISTS ${HELD_LINES}; DROP TABLE IF EXISTS ${MATCHED}; DROP TABLE IF EXISTS ${LINES_HELD_ELSEWHERE}; DROP TABLE IF EXISTS ${DAYS_HELD_ELSEWHERE}`);
  }
}

/**
 * Asks another store about the file's slots (`slotsSql`: customer_id, t, n, cents): the held lines of the
 * slots it holds but whose totals differ go to LINES_HELD_ELSEWHERE, the days it holds lines on to
 * DAYS_HELD_ELSEWHERE. Its answer, or null when it holds no line in the span.
 */
async function askElsewhere(warehouse: Warehouse, ask: LinesHeldElsewhere, question: Omit<HeldLinesQuestion, 'forEachSlot'>, slotsSql: string): Promise<HeldLinesAnswer | null> {
  await warehouse.execute(`
    CREATE OR REPLACE TEMP TABLE ${LINES_HELD_ELSEWHERE} (customer_id VARCHAR NOT NULL, t BIGINT NOT NULL, cents DOUBLE, amount DOUBLE, product_id VARCHAR, n BIGINT NOT NULL, ingest_id BIGINT NOT NULL, source VARCHAR NOT NULL);
    CREATE OR REPLACE TEMP TABLE ${DAYS_HELD_ELSEWHERE} (t BIGINT NOT NULL)`);
  const answer = await ask(
    {
      ...question,
      forEachSlot: (work) =>
        forEachChunk(warehouse, 'clv_slots_asked', slotsSql, async (chunk) => {
          const numbers = (name: string) => Array.from(chunk.columns[name] as ArrayLike<unknown>, (v) => (v === null || v === undefined ? null : Number(v)));
          await work({ customerIds: textColumn(chunk, 'customer_id') as string[], times: numbers('t') as number[], lines: numbers('n') as number[], cents: numbers('cents') });
        }),
    },
    async (lines) => {
      if (lines.customer_id.length > 0) await warehouse.append(LINES_HELD_ELSEWHERE, { ...lines });
    },
  );
  if (answer !== null && answer.days.length > 0) await warehouse.append(DAYS_HELD_ELSEWHERE, { t: [...answer.days] });
  return answer;
}
