/**
 * Text helpers of the pages, without the DOM: the pages put their results in elements, and tests under test/dashboard
 * import them in Node (the root tsconfig has no DOM library, so nothing here may import dom.ts, even for a type).
 */

/** Counts as shown in tables: suppressed (null) groups say so. */
export function groupCount(value: number | null | undefined, format: (n: number) => string): string {
  return value === null || value === undefined ? 'suppressed' : format(value);
}

/** Warnings a page other than the overview shows under its run note; the overview lists them all. */
export const WARNINGS_PER_PAGE = 5;

/**
 * The warnings a page shows under its run note — the first `WARNINGS_PER_PAGE` — and how many more the overview lists
 * (run.json `warnings`: a step skipped and why, a figure to read with care).
 *
 * Example: 7 warnings → `{ shown: [the first 5], more: 2 }`.
 */
export function pageWarnings(warnings: readonly string[]): { shown: readonly string[]; more: number } {
  return { shown: warnings.slice(0, WARNINGS_PER_PAGE), more: Math.max(0, warnings.length - WARNINGS_PER_PAGE) };
}

/** Transaction rows and quarantined rows of a warehouse (`GET /api/overview`'s `warehouse` and `warehouseNow`). */
interface RowsHeld {
  readonly transactions: number;
  readonly quarantined: number;
}

/**
 * The overview's line on the rows the warehouse holds: the run's figures describe the warehouse it read, so they are
 * said as of the run; when it holds other counts now (an ingest, a drop or an erasure since), those too, and that an
 * analysis takes them in. `count` formats a count.
 *
 * Example: run 1,000 and 3, now 1,250 and 3 → `1,000 transaction rows held when this run read the warehouse, 3
 * quarantined; it holds 1,250 (3 quarantined) now: start an analysis to include the change.`
 */
export function rowsHeldLine(run: RowsHeld, now: RowsHeld, count: (n: number) => string): string {
  const then = `${count(run.transactions)} transaction rows held when this run read the warehouse, ${count(run.quarantined)} quarantined`;
  if (now.transactions === run.transactions && now.quarantined === run.quarantined) return `${then}.`;
  return `${then}; it holds ${count(now.transactions)} (${count(now.quarantined)} quarantined) now: start an analysis to include the change.`;
}
