import type { LifecycleResult } from './run-lifecycle.js';
import type { SegmentsResult } from './run-segments.js';

/** What the segments and lifecycle stages publish together in run.json (`segments`): RFM segments, value tiers, clusters with lifecycle stages, their validation, transitions, cohorts and KPIs. */
export type SegmentsSummary = SegmentsResult & LifecycleResult;
