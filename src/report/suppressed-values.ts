/**
 * How the report shows small-group suppression: a null count or measure
 * (the pipeline's `publishRunSummary`, or the report's own suppression of
 * what it computes from per-customer columns) prints as “suppressed”, and
 * charts leave the point out.
 */
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

/** A nullable number as NaN (the formatters print `–`). */
export function orNaN(value: number | null | undefined): number {
  return value === null || value === undefined ? Number.NaN : value;
}

/** `; 2 segments are suppressed (fewer than 5 customers, or protecting such a group)` — empty when none is. */
export function suppressedClause(suppressed: number, noun: string, k: number): string {
  if (suppressed === 0) return '';
  return `; ${suppressed} ${noun}${suppressed === 1 ? ' is' : 's are'} suppressed (fewer than ${k} customers, or protecting such a group)`;
}
