/** The line under a page heading saying which run it shows and the k-floor. */
import type { RunRef } from '../../src/server/routes/read-api-types.js';
import { h, notice } from './dom.js';

export function runNote(run: RunRef): HTMLElement[] {
  return [
    h('p', { class: 'run-note' }, `Run ${run.id}, as of ${run.asOf} (${run.timeUnit}s); groups of fewer than ${run.minGroupSize} customers are suppressed.`),
    ...run.warnings.slice(0, 5).map((w) => notice(w)),
  ];
}

/** Counts as shown in tables: suppressed (null) groups say so. */
export function groupCount(value: number | null | undefined, format: (n: number) => string): string {
  return value === null || value === undefined ? 'suppressed' : format(value);
}
