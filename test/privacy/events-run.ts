/**
 * A small run's stages and events tables, published as `analyze` publishes them (`publishEventsSummary` with the
 * stages' decisions), in run.json's shape for the attack (`recoverBySubtraction`): the stages now (all shown), the KPIs
 * by stage, the funnel rows by stage (one per stage whose customers have sessions: their cross-table column's browse
 * cells, optionally an `(anonymous)` row of visitors), the overall row (their sum), the browse stages and the
 * browse × purchase cross-table.
 */
import type { FunnelRow } from '../../src/events/compute-funnels.js';
import { publishEventsSummary } from '../../src/events/publish-events-summary.js';
import type { EventsSummary } from '../../src/events/run-events.js';
import type { LinearProgramSolver } from '../../src/privacy/disclosure/hiding-set.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';

/** The people of a row reaching each step (nested: viewed ≥ carted ≥ purchased). */
export type Steps = { readonly viewed: number; readonly carted: number; readonly purchased: number };

const step = (people: number) => ({ sessions: 2 * people, people, rate: 0.5, rateLow: 0.4, rateHigh: 0.6 });
export const funnelRow = (group: string, people: number, steps: Steps = { viewed: people, carted: people, purchased: people }): FunnelRow => ({
  group, people, sessions: 4 * people, viewed: step(steps.viewed), carted: step(steps.carted), purchased: step(steps.purchased),
  conversionRate: 0.1, conversionLow: 0.05, conversionHigh: 0.2, searchesWithoutView: 0, cartsAbandoned: 0, purchasedWithoutCart: 0,
});

export interface EventsRunOptions {
  /** per stage, the people reaching each step (default: all its browsers) */
  readonly steps?: Readonly<Record<string, Steps>>;
  /** visitors without a customer: a funnel row `(anonymous)` (no cross-table cell) */
  readonly anonymous?: number;
  readonly k?: number;
  readonly solve?: LinearProgramSolver;
}

/** The published run of `stages` (customers per purchase stage) and `cells` ([browse stage or none, purchase stage, customers]). */
export function eventsRun(stages: Record<string, number>, cells: readonly (readonly [string, string, number])[], options: EventsRunOptions = {}) {
  const k = options.k ?? 5;
  const byStage = [...new Set(cells.filter(([b]) => b !== 'none').map(([, s]) => s))].sort().map((s) =>
    funnelRow(s, cells.filter(([b, t]) => t === s && b !== 'none').reduce((a, [, , n]) => a + n, 0), options.steps?.[s]));
  const rows = options.anonymous ? [funnelRow('(anonymous)', options.anonymous), ...byStage] : byStage;
  const sum = (f: (r: FunnelRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  const overall = funnelRow('all', sum((r) => r.people), { viewed: sum((r) => r.viewed.people), carted: sum((r) => r.carted.people), purchased: sum((r) => r.purchased.people) });
  const browseStages = Object.fromEntries(['browsing_active', 'lapsing', 'gone'].map((b) => [b, cells.filter(([c]) => c === b).reduce((a, [, , n]) => a + n, 0)]));
  const summary = {
    stitching: { visitorsAnonymous: options.anonymous ?? 0, sessionsWithoutIds: 0 },
    funnels: { overall, bySegment: [], byStage: rows, byChannel: [], byCohort: [], byFirstSeen: [] },
    onlineLifecycle: { browseStages, crossTable: cells.map(([browseStage, purchaseStage, customers]) => ({ browseStage, purchaseStage, customers })), validation: null },
  } as unknown as EventsSummary;
  const total = Object.values(stages).reduce((a, b) => a + b, 0);
  const events = publishEventsSummary(summary, k, new SuppressionTally(k), { byStage: new Map(Object.entries(stages)) }, options.solve);
  return {
    segments: {
      stages: { customers: total, stages: Object.entries(stages).map(([stage, customers]) => ({ stage, customers, suppression: null })) },
      rfm: { customers: total - (stages.prospect ?? 0) },
      kpis: { byStage: Object.entries(stages).map(([group, customers]) => ({ group, customers, suppression: null })) },
    },
    events,
  };
}

/** The lines of `recoverBySubtraction` whose count is 1…k−1. */
export function belowKRecovered(lines: readonly string[], k: number): string[] {
  return lines.filter((line) => { const n = Number(/ = (-?[\d.]+)/.exec(line)?.[1]); return n > 0 && n < k; });
}
