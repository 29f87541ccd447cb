/**
 * Small-group suppression of the events summary (run.json `events`, the
 * report): a funnel row of fewer than k people is withheld (and its
 * complement, so it cannot be recovered from the total); within a published
 * row, a step reached by fewer than k people, or by all but fewer than k of
 * the row's people, is withheld. Cross-table and validation cells of fewer
 * than k customers are withheld the same way (the cross-table's with
 * complements in every row and column, whose margins are published), and so are the browse stages'
 * counts (a stage of fewer than k customers, with a complement: their sum is everyone with events; a withheld
 * stage's cross-table row is not shown whole). Purchases that could not be measured (`EventsSummary.unavailable`:
 * no session belongs to a customer) are published empty in every row, not as 0%. Stitching,
 * buyer-type and prospect totals are whole-population figures and stay.
 *
 * One decision per group per run (`RunGroups`): a stage, RFM segment, cohort or acquisition channel that its own table
 * withholds (run.json `segments`) is withheld in the funnel breakdown by it and, a stage, in its cross-table column.
 */
import { isSmallPart, suppressRows, type SuppressionTally } from '../privacy/disclosure/suppress-rows.js';
import { withheldMark } from '../privacy/disclosure/below-k.js';
import { suppressLinkedCells, type Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import type { FunnelRow, FunnelStep, Funnels } from './compute-funnels.js';
import type { BrowseValidationRow, CrossTableCell, OnlineLifecycle } from './online-lifecycle.js';
import type { EventsSummary } from './run-events.js';

type Nullable<T> = { readonly [K in keyof T]: T[K] | null };
export type PublishedFunnelStep = Nullable<FunnelStep>;
export type PublishedFunnelRow = Nullable<Omit<FunnelRow, 'viewed' | 'carted' | 'purchased'>> & {
  readonly group: string;
  readonly viewed: PublishedFunnelStep;
  readonly carted: PublishedFunnelStep;
  readonly purchased: PublishedFunnelStep;
  readonly suppression: Suppression;
};

export interface PublishedEventsSummary extends Omit<EventsSummary, 'funnels' | 'onlineLifecycle'> {
  readonly funnels: { readonly [K in keyof Funnels]: K extends 'overall' ? PublishedFunnelRow : readonly PublishedFunnelRow[] };
  readonly onlineLifecycle: Omit<OnlineLifecycle, 'browseStages' | 'crossTable' | 'validation'> & {
    /** customers per browse stage; null where withheld (counted in run.json's privacy.suppressed) */
    readonly browseStages: Readonly<Record<string, number | null>>;
    readonly crossTable: readonly (Nullable<CrossTableCell> & { readonly suppression: Suppression })[];
    readonly validation: { readonly from: string; readonly to: string; readonly rows: readonly (Nullable<BrowseValidationRow> & { readonly suppression: Suppression })[] } | null;
  };
}

/** The funnel breakdowns whose groups a table of the segments step counts whole: stages, RFM segments, cohorts, acquisition channels. */
export type GroupedFunnel = 'byStage' | 'bySegment' | 'byCohort' | 'byChannel';

/**
 * The run's decisions on the groups of the segments step's tables (`segments.stages`, `.rfm.segments`, `.cohorts`,
 * `.kpis.byAcquisitionChannel`), by the funnel breakdown that shows the same groups: each group's count there, null
 * where that table withholds it.
 */
export type RunGroups = Partial<Readonly<Record<GroupedFunnel, ReadonlyMap<string, number | null>>>>;

const WITHHELD_STEP: PublishedFunnelStep = { sessions: null, people: null, rate: null, rateLow: null, rateHigh: null };

/** What a row publishes of the purchases when they were not measured (`EventsSummary.unavailable.purchases`): nothing. */
const PURCHASES_NOT_MEASURED = { purchased: WITHHELD_STEP, conversionRate: null, conversionLow: null, conversionHigh: null, cartsAbandoned: null, purchasedWithoutCart: null } as const;

/**
 * One breakdown's rows. With `groups` (the table that counts the same groups whole): a group it withholds is withheld
 * here too, whatever its people (a part of the group: fewer or as many); and a row whose people are the very count that
 * table shows (the same people, a number published there) is a partner only when no other row can be.
 */
function publishRows(rows: readonly FunnelRow[], k: number, tally: SuppressionTally, table: string, purchasesMeasured: boolean, groups?: ReadonlyMap<string, number | null>): PublishedFunnelRow[] {
  const mirrored = groups ? { preset: rows.map((r) => (groups.get(r.group) === null ? withheldMark(r.people, k) : null)), cost: rows.map((r) => (groups.get(r.group) === r.people ? 1 : 0)) } : {};
  const published = suppressRows(rows, { count: 'people', measures: ['sessions', 'viewed', 'carted', 'purchased', 'conversionRate', 'conversionLow', 'conversionHigh', 'searchesWithoutView', 'cartsAbandoned', 'purchasedWithoutCart'], minGroupSize: k, tally: { tally, table }, ...mirrored });
  return published.map((row) => {
    if (row.suppression !== null) return { ...row, viewed: WITHHELD_STEP, carted: WITHHELD_STEP, purchased: WITHHELD_STEP } as PublishedFunnelRow;
    const step = (s: FunnelStep): PublishedFunnelStep => (isSmallPart(s.people, row.people, k) ? WITHHELD_STEP : s);
    const purchased = step(row.purchased as FunnelStep);
    const shown = { ...(row as unknown as FunnelRow), viewed: step(row.viewed as FunnelStep), carted: step(row.carted as FunnelStep), purchased, ...(purchased === WITHHELD_STEP ? { conversionRate: null, conversionLow: null, conversionHigh: null } : {}), suppression: null };
    return (purchasesMeasured ? shown : { ...shown, ...PURCHASES_NOT_MEASURED }) as PublishedFunnelRow;
  });
}

/**
 * The browse stage × purchase stage table and the browse stages' counts, suppressed together. The table's margins are
 * published too — the browse stages' counts beside it (`browseStages`), the purchase stages' in run.json
 * `segments.stages` — so a withheld cell must not be its row's or its column's margin less the shown cells:
 * complementary cells are chosen in every row, every column and the whole table (`suppressLinkedCells`). A browse
 * stage of fewer than k customers is withheld with a complement (the stages' sum, everyone with events, is taken as
 * known), and a withheld stage must not come back as its row shown whole (the row is the stage's count when every
 * customer with events bought): each withheld stage and its row are one more partition, so a withheld stage withholds
 * cells of its row too. So is each purchase stage the run withholds (`purchaseStages`: segments.stages' decisions) and
 * its column, whose cells add up to the stage's customers with events.
 */
function publishLifecycleCounts(
  stages: Readonly<Record<string, number>>,
  cells: readonly CrossTableCell[],
  k: number,
  tally: SuppressionTally,
  purchaseStages?: ReadonlyMap<string, number | null>,
): { browseStages: Readonly<Record<string, number | null>>; crossTable: (Nullable<CrossTableCell> & { readonly suppression: Suppression })[] } {
  const indicesBy = (key: (c: CrossTableCell) => string) => {
    const groups = new Map<string, number[]>();
    cells.forEach((c, i) => groups.set(key(c), [...(groups.get(key(c)) ?? []), i]));
    return groups;
  };
  const rows = indicesBy((c) => c.browseStage);
  const columns = indicesBy((c) => c.purchaseStage);
  const entries = Object.entries(stages);
  // cells 0 … n−1: the cross-table's; n + j: browse stage j
  const stageCell = (j: number) => cells.length + j;
  // the stages first, among themselves; then the table, with each withheld stage and its row one more partition (a
  // shown stage is in none, so it is never taken as a complement for the table)
  const stagesFirst = suppressLinkedCells(entries.map(([, n]) => n), { minGroupSize: k, partitions: [entries.map((_, j) => j)] });
  // then n + (browse stages) + m: purchase stage m withheld by the run, sized as its column
  const withheldColumns = [...columns.values()].filter((column) => purchaseStages?.get(cells[column[0]!]!.purchaseStage) === null);
  const columnCell = (m: number) => cells.length + entries.length + m;
  const columnSize = (column: readonly number[]) => column.reduce((sum, i) => sum + cells[i]!.customers, 0);
  const partitions = [
    cells.map((_, i) => i),
    ...rows.values(),
    ...columns.values(),
    entries.map((_, j) => stageCell(j)),
    ...entries.flatMap(([stage], j) => (stagesFirst[j] === null ? [] : [[stageCell(j), ...(rows.get(stage) ?? [])]])),
    ...withheldColumns.map((column, m) => [columnCell(m), ...column]),
  ];
  const preset = [...cells.map(() => null), ...stagesFirst, ...withheldColumns.map((column) => withheldMark(columnSize(column), k))];
  const marks = suppressLinkedCells([...cells.map((c) => c.customers), ...entries.map(([, n]) => n), ...withheldColumns.map(columnSize)], { minGroupSize: k, partitions, preset });
  const cellMarks = marks.slice(0, cells.length);
  const stageMarks = marks.slice(cells.length, cells.length + entries.length);
  tally.groups('events.onlineLifecycle.browseStages', stageMarks);
  tally.groups('events.onlineLifecycle.crossTable', cellMarks);
  return {
    browseStages: Object.fromEntries(entries.map(([stage, n], j) => [stage, stageMarks[j] === null ? n : null])),
    crossTable: cells.map((c, i) => (cellMarks[i] === null ? { ...c, suppression: null } : { ...c, customers: null, suppression: cellMarks[i]! })),
  };
}

/**
 * The events summary as published at k. `groups`: the run's decisions on the groups the segments step's tables count
 * (`publishRunSummary`); without them each breakdown decides alone.
 */
export function publishEventsSummary(summary: EventsSummary, k: number, tally: SuppressionTally, groups: RunGroups = {}): PublishedEventsSummary {
  const { funnels, onlineLifecycle } = summary;
  const validation = onlineLifecycle.validation;
  const lifecycle = publishLifecycleCounts(onlineLifecycle.browseStages, onlineLifecycle.crossTable, k, tally, groups.byStage);
  const measured = summary.unavailable?.purchases === undefined;
  return {
    ...summary,
    funnels: {
      overall: publishRows([funnels.overall], k, tally, 'events.funnels.overall', measured)[0]!,
      bySegment: publishRows(funnels.bySegment, k, tally, 'events.funnels.bySegment', measured, groups.bySegment),
      byStage: publishRows(funnels.byStage, k, tally, 'events.funnels.byStage', measured, groups.byStage),
      byChannel: publishRows(funnels.byChannel, k, tally, 'events.funnels.byChannel', measured, groups.byChannel),
      byCohort: publishRows(funnels.byCohort, k, tally, 'events.funnels.byCohort', measured, groups.byCohort),
      byFirstSeen: publishRows(funnels.byFirstSeen, k, tally, 'events.funnels.byFirstSeen', measured),
    },
    onlineLifecycle: {
      ...onlineLifecycle,
      browseStages: lifecycle.browseStages,
      crossTable: lifecycle.crossTable,
      validation: validation
        ? { ...validation, rows: suppressRows(validation.rows, { count: 'customers', measures: ['repurchased', 'rate'], minGroupSize: k, tally: { tally, table: 'events.onlineLifecycle.validation' } }).map((r) => (r.suppression === null && isSmallPart(r.repurchased, r.customers, k) ? { ...r, repurchased: null, rate: null } : r)) }
        : null,
    },
  };
}
