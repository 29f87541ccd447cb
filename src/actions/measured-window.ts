/**
 * The window a stored campaign evaluation measured, from its result alone (no warehouse, no other module of actions:
 * audience-store reads it too, and evaluation-staleness imports response-window, which imports audience-store).
 */
import { daysBetween } from '../core/calendar-days.js';

/** The days of a response window as an evaluation stores them (response-window.ts MeasuredWindow has these and more). */
export interface WindowDays {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** the end asked for, when the data ended before it */
  readonly requestedTo?: string;
  readonly lines?: number;
}

/** The warning of a window cut short, as evaluations stored before `requestedTo` said it (CLI and API words). */
const CUT_SHORT = /^the data ends on (\d{4}-\d\d-\d\d), before (?:--to|to) (\d{4}-\d\d-\d\d): the window may be cut short/;

/**
 * The window an evaluation measured: as stored since it says `requestedTo`; one stored before, whose window is the one
 * asked for, cut at the day its warning said the data ended ("the data ends on 2023-08-31, before --to 2023-09-30").
 */
export function measuredWindowOf<W extends WindowDays>(e: { readonly window: W; readonly warnings: readonly string[] }): W | { from: string; to: string; days: number; requestedTo: string } {
  if (e.window.requestedTo !== undefined || e.window.lines !== undefined) return e.window;
  for (const w of e.warnings) {
    const cut = CUT_SHORT.exec(w);
    if (cut && cut[1]! < e.window.to && cut[1]! >= e.window.from) return { from: e.window.from, to: cut[1]!, days: daysBetween(e.window.from, cut[1]!) + 1, requestedTo: e.window.to };
  }
  return e.window;
}
