/**
 * How the report shows small-group suppression: a null count or measure
 * (the pipeline's `publishRunSummary`, or the report's own suppression of
 * what it computes from per-customer columns) prints as “suppressed”, and
 * charts leave the point out.
 */
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { DEFAULT_MIN_GROUP_SIZE } from '../privacy/disclosure/suppress-small-groups.js';
import { formatCount } from './format-number.js';
import type { ReportData } from './report-data.js';

/** k of the run: the smallest group an aggregate may describe. */
export function minGroupSizeOf(data: ReportData): number {
  return data.run.privacy?.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
}

/** What a table cell of a suppressed group says (the caption says why: `suppressedClause`). */
export const SUPPRESSED = 'suppressed';

/** A customer count for a table cell: the number, or `suppressed`. */
export function formatGroupCount(count: number | null | undefined): string {
  return count === null || count === undefined ? SUPPRESSED : formatCount(count);
}

/** What a cell of a figure that could not be measured says (e.g. the funnel's purchases when no session belongs to a customer: `EventsSummary.unavailable`). */
export const NOT_MEASURED = 'not measured';

/** What a cross-table cell hidden to protect another hidden cell of its row or column says (`complementary`). */
export const SUPPRESSED_COMPLEMENT = 'suppressed (protects another cell)';

/** A cross-table cell's customer count: the number, `suppressed` (fewer than k), or why a bigger cell is hidden. */
export function formatCellCount(count: number | null | undefined, suppression: Suppression | undefined): string {
  if (count !== null && count !== undefined) return formatCount(count);
  return suppression === 'complementary' ? SUPPRESSED_COMPLEMENT : SUPPRESSED;
}

/**
 * `; 1 cell of fewer than 5 customers is suppressed, and 2 more are hidden to protect another hidden cell in their row or
 * column (…)` for a cross-table whose margins are published — empty when no cell is suppressed.
 */
export function linkedCellsClause(marks: readonly Suppression[], k: number): string {
  const small = marks.filter((m) => m === 'small-group').length;
  const complementary = marks.filter((m) => m === 'complementary').length;
  if (small + complementary === 0) return '';
  const smallPart = small > 0 ? `${small} cell${small === 1 ? '' : 's'} of fewer than ${k} customers ${small === 1 ? 'is' : 'are'} suppressed` : '';
  const complementPart =
    complementary > 0
      ? `${complementary}${small > 0 ? ' more' : ` cell${complementary === 1 ? '' : 's'}`} ${complementary === 1 ? 'is' : 'are'} hidden to protect another hidden cell in ${complementary === 1 ? 'its' : 'their'} row or column (row and column totals are published, so a lone hidden cell could be worked out from them)`
      : '';
  return `; ${[smallPart, complementPart].filter((p) => p !== '').join(', and ')}`;
}

/** A nullable number as NaN (the formatters print `–`). */
export function orNaN(value: number | null | undefined): number {
  return value === null || value === undefined ? Number.NaN : value;
}

/** `; 2 segments are suppressed (fewer than 5 customers, or protecting such a group)` — empty when none is. */
export function suppressedClause(suppressed: number, noun: string, k: number): string {
  if (suppressed === 0) return '';
  return `; ${suppressed} ${noun}${suppressed === 1 ? ' is' : 's are'} suppressed (fewer than ${k} customers, or protecting such a group)`;
}
