import { addDays, daysBetween } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import { audienceLinesSql, type MeasuredWindow } from './response-window.js';

/** What `staleEvaluation` reads of a stored evaluation. */
export interface StoredWindow {
  readonly audience: string;
  readonly window: MeasuredWindow;
  readonly warnings: readonly string[];
}

/** The warning of a window cut short, as evaluations stored before `requestedTo` said it (CLI and API words). */
const CUT_SHORT = /^the data ends on (\d{4}-\d\d-\d\d), before (?:--to|to) (\d{4}-\d\d-\d\d): the window may be cut short/;

/**
 * The window an evaluation measured: as stored since it says `requestedTo`; one stored before, whose window is the one
 * asked for, cut at the day its warning said the data ended ("the data ends on 2023-08-31, before --to 2023-09-30").
 */
export function measuredWindow(e: StoredWindow): MeasuredWindow {
  if (e.window.requestedTo !== undefined || e.window.lines !== undefined) return e.window;
  for (const w of e.warnings) {
    const cut = CUT_SHORT.exec(w);
    if (cut && cut[1]! < e.window.to && cut[1]! >= e.window.from) return { from: e.window.from, to: cut[1]!, days: daysBetween(e.window.from, cut[1]!) + 1, requestedTo: e.window.to };
  }
  return e.window;
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
