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
