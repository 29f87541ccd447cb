/**
 * The segments step became two stages (`stages/segments-stage.ts`,
 * `stages/lifecycle-stage.ts`); their combined summary is in
 * `segments-summary.ts`. This re-export keeps the type imports of modules
 * not yet updated working.
 */
export type { SegmentsSummary } from './segments-summary.js';
