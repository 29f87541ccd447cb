import { addDays } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import { audienceLinesSql, type MeasuredWindow } from './response-window.js';
import { measuredWindowOf } from './measured-window.js';

/** What `staleEvaluation` reads of a stored evaluation. */
export interface StoredWindow {
  readonly audience: string;
  readonly window: MeasuredWindow;
  readonly warnings: readonly string[];
}

/** The window an evaluation measured (measured-window.ts: audience-store reads it too, without this module's imports). */
export function measuredWindow(e: StoredWindow): MeasuredWindow {
  return measuredWindowOf(e);
}

/**
 * Why a stored evaluation no longer describes the warehouse's data, or null: it was cut short by the end of the data
 * and the warehouse now holds transactions after its measured end, or its audience's transaction lines in the window
 * (asked end included) are not those it was measured on (an ingest, a dropped ingest, an erasure or retention since;
 * other customers' lines do not count; evaluations stored before the count was kept are checked for the first only).
 * With the command to measure it again, or with `api` the route (`POST /api/campaigns/:audience`: an API user has no
 * CLI, nor should the server's warehouse path reach them).
 *
 * Example: measured 2023-08-01 … 2023-08-31 of a window asked to 2023-09-30, September ingested since →
 * `'measured to 2023-08-31 (the data ended there) of a window asked to 2023-09-30, and the warehouse now holds transactions after 2023-08-31: run clvkit campaign evaluate … again'`
 */
export async function staleEvaluation(warehouse: Warehouse, e: StoredWindow, api = false): Promise<string | null> {
  const window = measuredWindow(e);
  const asked = window.requestedTo ?? window.to;
  const again = api
    ? `evaluate it again (POST /api/campaigns/${e.audience} with "from": "${window.from}", "to": "${asked}")`
    : `run clvkit campaign evaluate --audience ${e.audience} --from ${window.from} --to ${asked} ${warehouseFlags(warehouse)} again`;
  const d = warehouse.dialect;
  const ts = (day: string) => d.timestamp(`${day}T00:00:00`);
  if (window.requestedTo !== undefined && window.requestedTo > window.to) {
    const [after] = await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE ts >= ${ts(addDays(window.to, 1))}`);
    if (Number(after!.n) > 0) return `measured to ${window.to} (the data ended there) of a window asked to ${asked}, and the warehouse now holds transactions after ${window.to}: ${again}`;
  }
  if (window.lines !== undefined) {
    const [now] = await warehouse.query(audienceLinesSql(warehouse, e.audience, window.from, asked));
    const n = Number(now!.n);
    if (n !== window.lines) return `its audience's transaction lines in ${window.from} … ${asked} were ${window.lines.toLocaleString('en-US')} when it was evaluated and are ${n.toLocaleString('en-US')} now (an ingest, a dropped ingest, an erasure or retention since): ${again}`;
  }
  return null;
}
