/**
 * The online lifecycle on ClickHouse (issues 16 and 18): `customer_behaviour`,
 * the browse stages, the cross-table with the purchase stages and the
 * holdout validation of `buildOnlineLifecycle` (its doc comment), written
 * with what ClickHouse 18.16 has: one JOIN per SELECT (the sessions and the
 * buyer types meet in a FULL JOIN on the customer, the validation's three
 * inputs in a chain of LEFT JOINs), `USING` on non-Nullable keys, day
 * differences by `toRelativeDayNum` (the dialect's `daysBetween`), no GROUP
 * BY by position. `customer_behaviour` is written with its declared column
 * types (derived-tables.ts), as DuckDB's CREATE … AS gives them.
 */
import { derivedTable } from '../engine/derived-tables.js';
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { SESSIONS_TABLE } from './build-event-sessions.js';
import { BUYER_TYPES_TABLE } from './classify-buyer-types.js';
import { BROWSE_STAGES, type OnlineLifecycle } from './online-lifecycle.js';

function browseStageSql(warehouse: Warehouse, lastTs: string, asOf: string): string {
  const days = warehouse.dialect.daysBetween(lastTs, `toDate('${asOf}')`);
  return `multiIf(isNull(${lastTs}), NULL, ${days} <= 30, 'browsing_active', ${days} <= 90, 'lapsing', 'gone')`;
}

export async function buildOnlineLifecycleOnClickHouse(warehouse: Warehouse, options: { readonly asOf: string; readonly validationFrom: string | null }): Promise<OnlineLifecycle> {
  const { asOf } = options;
  const d = warehouse.dialect;
  const columns = derivedTable('customer_behaviour').columns;
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_behaviour (${columns.map((c) => `${d.identifier(c.name)} ${c.type}`).join(', ')})`);
  const sessions = `SELECT assumeNotNull(customer_id) AS customer_id, toNullable(count()) AS sessions, toNullable(sum(views)) AS views, toNullable(sum(searches)) AS searches, toNullable(sum(cart_adds)) AS cart_adds,
    toNullable(min(start_ts)) AS first_ts, toNullable(max(end_ts)) AS last_ts FROM (SELECT * FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL) s GROUP BY customer_id`;
  const types = `SELECT customer_id, buyer_type, deliberation_score, minutes_to_purchase FROM ${BUYER_TYPES_TABLE}`;
  await warehouse.execute(`
    INSERT INTO customer_behaviour (${columns.map((c) => c.name).join(', ')})
    SELECT customer_id, toInt64(ifNull(sessions, 0)), toInt64(ifNull(views, 0)), toInt64(ifNull(searches, 0)), toInt64(ifNull(cart_adds, 0)),
      toDate(first_ts), toDate(last_ts), ${browseStageSql(warehouse, 'last_ts', asOf)}, buyer_type, toFloat64(deliberation_score), toFloat64(minutes_to_purchase)
    FROM (${sessions}) s ALL FULL OUTER JOIN (${types}) b USING customer_id
    ORDER BY customer_id`);
  const counts = await warehouse.query('SELECT browse_stage, count() AS n FROM customer_behaviour WHERE browse_stage IS NOT NULL GROUP BY browse_stage');
  const browseStages = Object.fromEntries(BROWSE_STAGES.map((stage) => [stage, Number(counts.find((r) => r.browse_stage === stage)?.n ?? 0)]));
  const crossTable = (await tableExists(warehouse, 'customer_stages'))
    ? (await warehouse.query(`
        SELECT ifNull(browse_stage, 'none') AS browse, stage, count() AS n
        FROM (SELECT customer_id, stage FROM customer_stages) g ALL LEFT JOIN (SELECT customer_id, browse_stage FROM customer_behaviour) b USING customer_id
        GROUP BY browse, stage ORDER BY browse, stage`)).map((r) => ({ browseStage: String(r.browse), purchaseStage: String(r.stage), customers: Number(r.n) }))
    : [];
  let validation: OnlineLifecycle['validation'] = null;
  if (options.validationFrom) {
    const from = options.validationFrom;
    const buyers = `SELECT customer_id FROM transactions WHERE NOT is_return AND ts < toDateTime('${from} 00:00:00') GROUP BY customer_id`;
    const lastSeen = `SELECT assumeNotNull(customer_id) AS customer_id, toNullable(max(end_ts)) AS last_ts FROM (SELECT * FROM ${SESSIONS_TABLE} WHERE customer_id IS NOT NULL AND end_ts < toDateTime('${from} 00:00:00')) s GROUP BY customer_id`;
    const again = `SELECT customer_id, toUInt8(1) AS bought_again FROM transactions WHERE NOT is_return AND ts >= toDateTime('${from} 00:00:00') AND ts < toDateTime('${asOf} 00:00:00') + 86400 GROUP BY customer_id`;
    const rows = await warehouse.query(`
      SELECT ifNull(${browseStageSql(warehouse, 'last_ts', from)}, 'none') AS browse, count() AS n, countIf(bought_again = 1) AS again
      FROM (SELECT customer_id, last_ts FROM (${buyers}) b ALL LEFT JOIN (${lastSeen}) l USING customer_id) bl ALL LEFT JOIN (${again}) a USING customer_id
      GROUP BY browse ORDER BY browse`);
    validation = {
      from,
      to: asOf,
      rows: rows.map((r) => ({ browseStage: String(r.browse), customers: Number(r.n), repurchased: Number(r.again), rate: Number(r.n) > 0 ? Number(r.again) / Number(r.n) : Number.NaN })),
    };
  }
  return { browseStages, crossTable, validation };
}
