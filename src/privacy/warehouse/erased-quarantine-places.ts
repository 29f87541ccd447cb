/**
 * What an erasure leaves where it deletes a quarantined row of its customers: the ingest that quarantined the row still
 * counts it (`ingests.quarantined`, rows read = accepted + quarantined; for a batch sent to the API,
 * `ingest_batches.quarantined`, the group's quarantine rows split among its batches by line), so the row is replaced at
 * its place — the same `ingest_id`, `source` and `line` — by one with reason `erased_customer` and nothing of the row:
 * `raw`, `detail`, `customer_id` and `ts` NULL, as a line of an erased customer sent after the erasure leaves. The
 * quarantine table then still accounts for every count (it used to hold fewer rows than the counts named). Retention
 * ages such a row by its ingest's start, a drop of the ingest deletes it. A place that has such a row already (an erase
 * run again, a cluster's erase deleting again what an ingest copy attached) gets none again.
 */
import type { Warehouse } from '../../engine/warehouse.js';
import { literalLists } from '../../engine/literal-lists.js';

/**
 * Writes the `erased_customer` rows at the places of the quarantined rows of `tokens` (see the file header); called
 * before those rows are deleted. The number written.
 *
 * Example: `await keepErasedQuarantinePlaces(wh, ['c_…'])` → `3`
 */
export async function keepErasedQuarantinePlaces(warehouse: Warehouse, tokens: readonly string[]): Promise<number> {
  const d = warehouse.dialect;
  const places: { ingestId: number; source: string; line: number }[] = [];
  for (const list of literalLists(d, tokens)) {
    for (const r of await warehouse.query(`SELECT DISTINCT ingest_id, source, line FROM quarantine WHERE customer_id IN (${list})`)) {
      places.push({ ingestId: Number(r.ingest_id), source: String(r.source), line: Number(r.line) });
    }
  }
  if (places.length === 0) return 0;
  const key = (p: { ingestId: number; source: string; line: number }) => `${p.ingestId}\0${p.source}\0${p.line}`;
  const ingests = [...new Set(places.map((p) => p.ingestId))].join(', ');
  const held = new Set(
    (await warehouse.query(`SELECT ingest_id, source, line FROM quarantine WHERE reason = 'erased_customer' AND customer_id IS NULL AND ingest_id IN (${ingests})`)).map((r) =>
      key({ ingestId: Number(r.ingest_id), source: String(r.source), line: Number(r.line) }),
    ),
  );
  const rows = [...new Map(places.filter((p) => !held.has(key(p))).map((p) => [key(p), p])).values()];
  await appendErasedPlaces(warehouse, rows);
  return rows.length;
}

/**
 * Appends a quarantine row with nothing of the line at each place (`ingest_id`, `source`, `line`): reason
 * `erased_customer`, `raw`, `detail`, `customer_id` and `ts` NULL — what an erased customer's line leaves (here, and
 * for lines erased before they were loaded: server/ingest/erased-before-load.ts).
 *
 * Example: `await appendErasedPlaces(wh, [{ ingestId: 3, source: 'orders.csv', line: 12 }])`
 */
export async function appendErasedPlaces(warehouse: Warehouse, rows: readonly { readonly ingestId: number; readonly source: string; readonly line: number }[]): Promise<void> {
  if (rows.length === 0) return;
  const none = rows.map(() => null);
  await warehouse.append('quarantine', {
    ingest_id: rows.map((r) => r.ingestId),
    source: rows.map((r) => r.source),
    line: rows.map((r) => r.line),
    raw: none,
    reason: rows.map(() => 'erased_customer'),
    detail: none,
    customer_id: none,
    ts: none,
  });
}
