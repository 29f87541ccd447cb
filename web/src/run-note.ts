/** The line under a page heading saying which run it shows and the k-floor, and the run's warnings. */
import type { RunRef } from '../../src/server/routes/read-api-types.js';
import { h, notice, section } from './dom.js';
import { pageWarnings } from './view-text.js';

export { groupCount } from './view-text.js';

/** The run note, and (unless `warnings: false`: the overview lists them with runWarnings) the first warnings of the run. */
export function runNote(run: RunRef, options: { readonly warnings?: boolean } = {}): HTMLElement[] {
  const { shown, more } = pageWarnings(options.warnings === false ? [] : run.warnings);
  return [
    h('p', { class: 'run-note' }, `Run ${run.id}, as of ${run.asOf} (${run.timeUnit}s); groups of fewer than ${run.minGroupSize} customers are suppressed.`),
    ...shown.map((w) => notice(w)),
    ...(more > 0 ? [h('p', { class: 'notice notice-info', role: 'status' }, `${more} more ${more === 1 ? 'warning' : 'warnings'} of this run: `, h('a', { href: '#/overview' }, 'see the overview'), '.')] : []),
  ];
}

/** Every warning of the run in a section of its own (the overview, where the report lists them); nothing without warnings. */
export function runWarnings(run: RunRef): HTMLElement[] {
  return run.warnings.length === 0 ? [] : [section('Warnings of this run', h('ul', { class: 'run-warnings' }, run.warnings.map((w) => h('li', {}, w))))];
}
