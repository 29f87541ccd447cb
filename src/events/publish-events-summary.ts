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
import { belowK, withheldMark } from '../privacy/disclosure/below-k.js';
import { suppressLinkedCells, type Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { ANONYMOUS, type FunnelRow, type FunnelStep, type Funnels } from './compute-funnels.js';
import { groupKey } from '../privacy/disclosure/group-key.js';
import { closeCombinations } from '../privacy/disclosure/close-combinations.js';
import type { SignedSum } from '../privacy/disclosure/close-subtractions.js';
import type { LinearProgramSolver } from '../privacy/disclosure/hiding-set.js';
import type { BrowseValidationRow, CrossTableCell, OnlineLifecycle } from './online-lifecycle.js';
import type { EventsSummary } from './run-events.js';

type Nullable<T> = { readonly [K in keyof T]: T[K] | null };
export type PublishedFunnelStep = Nullable<FunnelStep>;
export type PublishedFunnelRow = Nullable<Omit<FunnelRow, 'viewed' | 'carted' | 'purchased' | 'searchesWithoutViewPeople' | 'purchasedWithoutCartPeople'>> & {
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
 * where that table withholds it, keyed by `groupKey` (the funnels' labels come from other queries).
 */
export type RunGroups = Partial<Readonly<Record<GroupedFunnel, ReadonlyMap<string, number | null>>>>;

const WITHHELD_STEP: PublishedFunnelStep = { sessions: null, people: null, rate: null, rateLow: null, rateHigh: null };

/** What a row publishes of the purchases when they were not measured (`EventsSummary.unavailable.purchases`): nothing. */
const PURCHASES_NOT_MEASURED = { purchased: WITHHELD_STEP, conversionRate: null, conversionLow: null, conversionHigh: null, cartsAbandoned: null, purchasedWithoutCart: null } as const;

/** The funnels' own groups (compute-funnels.ts): sessions without a customer, and people not in the breakdown's table. */
const FUNNEL_OWN_GROUPS = new Set(['(anonymous)', '(none)']);

/**
 * What a breakdown's rows take from `groups` (the table that counts the same groups whole): a group it withholds is
 * withheld here too, whatever its people (a part of the group: fewer or as many); and a row whose people are the very
 * count that table shows (the same people, a number published there) is a partner only when no other row can be.
 */
function mirrorOf(rows: readonly FunnelRow[], k: number, groups: ReadonlyMap<string, number | null>): { preset: Suppression[]; cost: number[] } {
  // a group its table does not list (other than the funnel's own: no customer, or not in that table) is not known to be
  // shown there: withheld, as a group that table withholds — a label written differently must not show what it hides
  const unlisted = (r: FunnelRow) => !groups.has(groupKey(r.group)) && !FUNNEL_OWN_GROUPS.has(r.group);
  return {
    preset: rows.map((r) => (groups.get(groupKey(r.group)) === null || unlisted(r) ? withheldMark(r.people, k) : null)),
    cost: rows.map((r) => (groups.get(groupKey(r.group)) === r.people ? 1 : 0)),
  };
}

/**
 * One breakdown's rows (the overall row alone: `rows` of one). A step reached by 1…k−1 of a shown row's people (or all
 * but 1…k−1) is withheld; and the steps of the rows add up to the overall row's step, so in each step's column across
 * the rows (a withheld row's step withheld with it) the withheld steps are closed as any published sum's: at least two
 * and k people together, a shown row's step withheld as the partner (`suppressLinkedCells`). A row with its carted or
 * purchased step withheld withholds its carts abandoned (carted less purchased sessions) too, and a step after a
 * withheld step shows no rate or interval (they are of the withheld step's sessions). Searches without a view and
 * purchases without a cart add of 1…k−1 sessions are withheld (fewer than k people), with partners in their column.
 */
function publishRows(rows: readonly FunnelRow[], k: number, tally: SuppressionTally, table: string, purchasesMeasured: boolean, mirrored: { readonly preset?: readonly Suppression[]; readonly cost?: readonly number[] } = {}): PublishedFunnelRow[] {
  // the `(anonymous)` row's people are stitching's visitors never linked (published): known, never a partner — a row
  // withheld beside it would be the overall row less the shown rows and it — yet withheld below k all the same, for its
  // sessions and steps (few people's)
  const anonymous = rows.map((r) => r.group === ANONYMOUS);
  const measures = ['sessions', 'viewed', 'carted', 'purchased', 'conversionRate', 'conversionLow', 'conversionHigh', 'searchesWithoutView', 'cartsAbandoned', 'purchasedWithoutCart'] as const;
  const decided = suppressRows(rows, { count: 'people', measures: [...measures], minGroupSize: k, tally: { tally, table }, ...mirrored, known: anonymous });
  const fewAnonymous = rows.map((r, i) => anonymous[i]! && belowK(r.people, k));
  tally.groups(table, fewAnonymous.filter(Boolean).map(() => 'small-group'));
  const published = decided.map((row, i) => (fewAnonymous[i] ? { ...row, people: null, ...Object.fromEntries(measures.map((m) => [m, null])), suppression: 'small-group' as const } : row));
  // a column of counts across the rows (they add up to the overall row's): a withheld row's cell withheld with it, a
  // shown row's cell withheld when `small`, and partners chosen in the column (`suppressLinkedCells`); true where shown
  const columnShown = (counts: readonly number[], small: (i: number) => boolean): boolean[] => {
    const preset = rows.map((_, i) => (published[i]!.suppression !== null ? withheldMark(counts[i]!, k) ?? 'complementary' : small(i) ? 'small-group' : null));
    const marks = rows.length > 1 ? suppressLinkedCells(counts, { minGroupSize: k, partitions: [rows.map((_, i) => i)], preset }) : preset;
    return marks.map((m) => m === null);
  };
  const stepShown = (['viewed', 'carted', 'purchased'] as const).map((name) => {
    const people = rows.map((r) => r[name].people);
    return { name, shown: columnShown(people, (i) => isSmallPart(people[i]!, rows[i]!.people, k)) };
  });
  // searches without a view and purchases without a cart add count sessions, decided by the people behind them (5
  // sessions can be 1 person's; a row without its people, built by hand, is decided by its sessions): 1…k−1 people are
  // withheld, with a partner in the column (the rows add up to the overall row's) — at least two and k people together
  const fewShown = ([['searchesWithoutView', 'searchesWithoutViewPeople'], ['purchasedWithoutCart', 'purchasedWithoutCartPeople']] as const).map(([name, by]) => {
    const people = rows.map((r) => (r[name] > 0 ? r[by] ?? r[name] : 0));
    return { name, shown: columnShown(people, (i) => belowK(people[i]!, k)) };
  });
  return published.map(({ searchesWithoutViewPeople: _s, purchasedWithoutCartPeople: _p, ...row }, i) => {
    if (row.suppression !== null) return { ...row, viewed: WITHHELD_STEP, carted: WITHHELD_STEP, purchased: WITHHELD_STEP } as PublishedFunnelRow;
    const steps = stepShown.map(({ name, shown }) => (shown[i] ? (row[name] as FunnelStep) : WITHHELD_STEP));
    // a step's rate and interval are of the step before's sessions: after a withheld step they would give it back
    // (0 purchases of 3 carted sessions: 0.0% (0.0%–56.1%), and z²/(n + z²) = 0.561 is n = 3)
    const [viewed, carted, purchased] = steps.map((s, j) => (j > 0 && s !== WITHHELD_STEP && steps[j - 1] === WITHHELD_STEP ? { ...s, rate: null, rateLow: null, rateHigh: null } : s)) as [PublishedFunnelStep, PublishedFunnelStep, PublishedFunnelStep];
    // carts abandoned are the carted sessions less the purchased ones: beside a withheld step they would give it back
    // (the steps' partners in other rows withhold theirs too, so the column never has a single withheld cell)
    const shown = {
      ...(row as unknown as FunnelRow), viewed, carted, purchased,
      ...(purchased === WITHHELD_STEP ? { conversionRate: null, conversionLow: null, conversionHigh: null } : {}),
      ...(carted === WITHHELD_STEP || purchased === WITHHELD_STEP ? { cartsAbandoned: null } : {}),
      ...Object.fromEntries(fewShown.filter(({ shown }) => !shown[i]).map(({ name }) => [name, null])),
      suppression: null,
    };
    return (purchasesMeasured ? shown : { ...shown, ...PURCHASES_NOT_MEASURED }) as PublishedFunnelRow;
  });
}

/** A funnel row of nobody: a stage whose customers have no session, withheld where its 0 keeps a sum closed. */
function emptyRow(group: string): FunnelRow {
  const step = { sessions: 0, people: 0, rate: Number.NaN, rateLow: Number.NaN, rateHigh: Number.NaN };
  return { group, people: 0, sessions: 0, viewed: step, carted: step, purchased: step, conversionRate: Number.NaN, conversionLow: Number.NaN, conversionHigh: Number.NaN, searchesWithoutView: 0, cartsAbandoned: 0, purchasedWithoutCart: 0 };
}

/** The cross-table's cells, a withheld 0 among them put in the query's order (browse stage, then purchase stage). */
function inOrder<C extends { readonly browseStage: string; readonly purchaseStage: string }>(listed: number, cells: C[]): C[] {
  const order = (a: C, b: C) => (a.browseStage < b.browseStage ? -1 : a.browseStage > b.browseStage ? 1 : a.purchaseStage < b.purchaseStage ? -1 : a.purchaseStage > b.purchaseStage ? 1 : 0);
  return cells.length > listed ? cells.sort(order) : cells;
}

/** The funnel rows and their marks, the rows of 0 people kept only where withheld, in the funnels' order (by group). */
function sortedRows(rows: readonly FunnelRow[], marks: readonly Suppression[], listed: number): { funnelRows: FunnelRow[]; funnelMarks: Suppression[] } {
  const kept = rows.map((row, f) => ({ row, mark: marks[f]! })).filter(({ mark }, f) => f < listed || mark !== null);
  if (kept.length > listed) kept.sort((a, b) => (a.row.group < b.row.group ? -1 : a.row.group > b.row.group ? 1 : 0));
  return { funnelRows: kept.map(({ row }) => row), funnelMarks: kept.map(({ mark }) => mark) };
}

/**
 * The browse stage × purchase stage table, the browse stages' counts and the funnel rows by stage, suppressed together:
 * they are sums of one another. The table's margins are published — the browse stages' counts beside it
 * (`browseStages`), the purchase stages' in run.json `segments.stages` — so a withheld cell must not be its row's or its
 * column's margin less the shown cells: complementary cells are chosen in every row, every column and the whole table
 * (`suppressLinkedCells`). A browse stage of fewer than k customers is withheld with a complement (the stages' sum,
 * everyone with events, is taken as known), and a withheld stage must not come back as its row shown whole: each
 * withheld stage and its row are one more partition, and so is each shown stage and its row, last: where no cell of the
 * row can be a partner (the others known or 0), the stage is withheld instead. Each purchase stage is a cell of its column's partition — as
 * published by the run (`purchaseStages`: shown, never a partner; withheld, a cell withheld already) — so a stage the run
 * withholds keeps cells of its column withheld, and a shown one is the sum of its column.
 *
 * A funnel row by stage counts the stage's customers with sessions: its column's browse cells, and the stage's
 * customers less its `none` cell (no session). Suppression runs both ways: a funnel row withheld (for its own size, or
 * as a partner in the funnel, whose rows add up to the overall row) keeps a browse cell and the `none` cell of its
 * column withheld, and a withheld column cell keeps its funnel row's sums closed; so neither table gives the other's
 * withheld count back by subtraction.
 *
 * Then the tables are read as a reader who combines sums reads them (`closeCombinations`: `combiningReader`, a partner
 * by `partnerIn`, a hiding set where no single partner does), with the totals those sums hold: everyone with events
 * (the browse stages' sum), all customers and those acquired (the stages'), and the funnel's overall people — of which
 * the `(anonymous)` row's people are known (stitching publishes them: never a partner). The funnel's overall people
 * less the other stages' browsers, with the stages' counts, gave a `none` cell or a funnel row back that no single sum
 * did. Where one stage browsed, or every other stage's browsers are known (its column whole, or none browsed), only a
 * 0 hides it: a cell not listed (a reader reads it as 0) or a stage without a funnel row (no session) is withheld and
 * listed with its count null. Returns the funnel rows (with any such row of 0) and their marks for `publishRows`.
 */
function publishLifecycleCounts(
  stages: Readonly<Record<string, number>>,
  listed: readonly CrossTableCell[],
  k: number,
  tally: SuppressionTally,
  purchaseStages?: ReadonlyMap<string, number | null>,
  funnel?: { readonly rows: readonly FunnelRow[]; readonly preset: readonly Suppression[]; readonly cost: readonly number[] },
  solve?: LinearProgramSolver,
): { browseStages: Readonly<Record<string, number | null>>; crossTable: (Nullable<CrossTableCell> & { readonly suppression: Suppression })[]; funnelRows: FunnelRow[]; funnelMarks: Suppression[] } {
  // the table lists its cells of 1 or more; a reader reads a cell not listed as 0, and a stage without a funnel row as
  // one whose customers have no session. Those zeros are cells too, after the listed ones (and funnel rows of 0 people
  // after the stages' rows): never withheld for the single sums (they hide nobody), but where only a withheld 0 keeps a
  // combination of sums from giving a small count back, one is withheld (and listed, its count null)
  const browseNames = [...Object.keys(stages), 'none'];
  const stageNames = [...new Set(listed.map((c) => c.purchaseStage))];
  const zeros = browseNames.flatMap((browseStage) => stageNames.filter((purchaseStage) => !listed.some((c) => c.browseStage === browseStage && c.purchaseStage === purchaseStage)).map((purchaseStage) => ({ browseStage, purchaseStage, customers: 0 })));
  const cells = [...listed, ...zeros];
  const rowsOfFunnel = funnel?.rows ?? [];
  const zeroRows = funnel ? stageNames.filter((stage) => !rowsOfFunnel.some((r) => groupKey(r.group) === groupKey(stage))).map((stage) => emptyRow(stage)) : [];
  const indicesBy = (key: (c: CrossTableCell) => string) => {
    const groups = new Map<string, number[]>();
    cells.forEach((c, i) => groups.set(key(c), [...(groups.get(key(c)) ?? []), i]));
    return groups;
  };
  const rows = indicesBy((c) => c.browseStage);
  const columns = indicesBy((c) => c.purchaseStage);
  const entries = Object.entries(stages);
  // cells 0 … n−1: the cross-table's; then the browse stages, the purchase stages (one per column, as the run
  // publishes it), the funnel rows by stage
  const stageCell = (j: number) => cells.length + j;
  // the browse stages first, among themselves; then the table, with each withheld stage and its row one more partition,
  // and each shown stage and its row one more, last (a shown stage is taken as a complement for the table only where no
  // cell of its row can be: below)
  const stagesFirst = suppressLinkedCells(entries.map(([, n]) => n), { minGroupSize: k, partitions: [entries.map((_, j) => j)] });
  const columnList = [...columns.entries()];
  const columnCell = (m: number) => cells.length + entries.length + m;
  const columnSize = (column: readonly number[]) => column.reduce((sum, i) => sum + cells[i]!.customers, 0);
  const published = (stage: string) => purchaseStages?.get(groupKey(stage));
  const funnelRows = [...rowsOfFunnel, ...zeroRows];
  const funnelCell = (f: number) => cells.length + entries.length + columnList.length + f;
  const linked = (stage: string) => purchaseStages !== undefined && purchaseStages.has(groupKey(stage));
  const partitions = [
    cells.map((_, i) => i),
    ...rows.values(),
    ...columnList.map(([stage, column], m) => (linked(stage) ? [columnCell(m), ...column] : column)),
    entries.map((_, j) => stageCell(j)),
    ...entries.flatMap(([stage], j) => (stagesFirst[j] === null ? [] : [[stageCell(j), ...(rows.get(stage) ?? [])]])),
    ...(funnelRows.length > 0 ? [funnelRows.map((_, f) => funnelCell(f))] : []),
    // a shown stage is its row's sum: where the row's other cells are known or 0 (a cell that is its column whole, of a
    // stage the run shows) no cell of the row can be a partner, and the stage is withheld instead (last: a cell first);
    // so is the stage of a row of one cell that another partition took as a partner
    ...entries.flatMap(([stage], j) => (stagesFirst[j] !== null ? [] : [[stageCell(j), ...(rows.get(stage) ?? [])]])),
    ...funnelRows.flatMap((r, f) => {
      const m = columnList.findIndex(([stage]) => groupKey(stage) === groupKey(r.group));
      if (m < 0) return [];
      const column = columnList[m]![1];
      const browsers = column.filter((i) => cells[i]!.browseStage !== 'none');
      const none = column.filter((i) => cells[i]!.browseStage === 'none');
      // the row = its column's browse cells; = the stage's customers less the column's none cell
      return [[funnelCell(f), ...browsers], ...(linked(r.group) ? [[funnelCell(f), columnCell(m), ...none]] : [])];
    }),
  ];
  const counts = [...cells.map((c) => c.customers), ...entries.map(([, n]) => n), ...columnList.map(([stage, column]) => published(stage) ?? columnSize(column)), ...funnelRows.map((r) => r.people)];
  const preset = [
    ...cells.map(() => null),
    ...stagesFirst,
    ...columnList.map(([stage, column]) => (linked(stage) && published(stage) === null ? withheldMark(columnSize(column), k) : null)),
    ...(funnel?.preset ?? []),
    ...zeroRows.map(() => null),
  ];
  // a cell that is its column whole, of a stage the run shows, is published there: shown, never a partner
  const wholeColumn = (i: number) => { const column = columns.get(cells[i]!.purchaseStage)!.filter((j) => cells[j]!.customers > 0); return column.length === 1 && column[0] === i && linked(cells[i]!.purchaseStage) && published(cells[i]!.purchaseStage) !== null; };
  // the funnel row of visitors without a customer counts the people stitching publishes (visitors never linked, and
  // sessions without an id): known, never a partner (it is withheld below k all the same, for its sessions and steps)
  const anonymous = (f: number) => funnelRows[f]!.group === ANONYMOUS;
  const known = [...cells.map((_, i) => wholeColumn(i)), ...entries.map(() => false), ...columnList.map(([stage]) => linked(stage) && published(stage) !== null), ...funnelRows.map((_, f) => anonymous(f))];
  const cost = [...cells.map(() => 0), ...entries.map(() => 0), ...columnList.map(() => 0), ...(funnel?.cost ?? []), ...zeroRows.map(() => 0)];
  const decide = (extra: ReadonlySet<number>) => suppressLinkedCells(counts, { minGroupSize: k, partitions, preset: preset.map((m, i) => (extra.has(i) ? m ?? 'complementary' : m)), known: known.map((x, i) => x && !extra.has(i)), cost });
  // then as a reader who combines the sums reads them (the funnel's overall people, the columns' browse cells and the
  // stages' counts together can give a `none` cell or a funnel row that no single sum gives): the totals the sums hold —
  // everyone with events (the browse stages' sum), all customers and those acquired (the stages'), the funnel's overall
  // people (unknown when withheld) — after the cells
  const N = counts.length;
  const [withEvents, customers, acquired, overall] = [N, N + 1, N + 2, N + 3];
  const term = (i: number, a = 1) => [i, a] as const;
  const sums: SignedSum[] = [
    ...entries.map(([stage], j) => [...(rows.get(stage) ?? []).map((i) => term(i)), term(stageCell(j), -1)]),
    ...columnList.map(([, column], m) => [...column.map((i) => term(i)), term(columnCell(m), -1)]),
    [...entries.map((_, j) => term(stageCell(j))), term(withEvents, -1)],
    [...columnList.map((_, m) => term(columnCell(m))), term(customers, -1)],
    [...columnList.flatMap(([stage], m) => (groupKey(stage) === 'prospect' ? [] : [term(columnCell(m))])), term(acquired, -1)],
    ...(funnelRows.length > 0 ? [[...funnelRows.map((_, f) => term(funnelCell(f))), term(overall, -1)]] : []),
    ...funnelRows.flatMap((r, f) => {
      const m = columnList.findIndex(([stage]) => groupKey(stage) === groupKey(r.group));
      return m < 0 ? [] : [[term(funnelCell(f)), ...columnList[m]![1].filter((i) => cells[i]!.browseStage !== 'none').map((i) => term(i, -1))]];
    }),
  ];
  const overallPeople = funnelRows.reduce((sum, r) => sum + r.people, 0);
  const stageTotal = (buyersOnly: boolean) => columnList.reduce((sum, [stage], m) => sum + (buyersOnly && groupKey(stage) === 'prospect' ? 0 : counts[columnCell(m)]!), 0);
  const totals = [entries.reduce((sum, [, n]) => sum + n, 0), stageTotal(false), stageTotal(true), overallPeople];
  const closed = closeCombinations({
    counts: [...counts, ...totals],
    sums,
    unpublished: new Set(belowK(overallPeople, k) ? [overall] : []),
    decide,
    // a count withheld for its size: a cell, a browse stage, a funnel row, a purchase stage the run withholds
    mustHide: (i, marks) => marks[i] === 'small-group' && belowK(counts[i]!, k),
    // a partner: a cross-table cell, a browse stage or a funnel row (a purchase stage is its table's to decide)
    // (a cell that is its column whole is one while the column's zeros are known: a partner too, here)
    free: (i) => i < N && (i < columnCell(0) || (i >= funnelCell(0) && !anonymous(i - funnelCell(0)))),
    // a cell first, then a browse stage, then a funnel row (one whose people its table shows last); a 0 after them all
    cost: (i) => (i < cells.length ? 0 : i < columnCell(0) ? 1 : 2 + cost[i]!) + (counts[i] === 0 ? 4 : 0),
    ...(solve ? { solve } : {}),
  });
  const marks = closed.marks;
  const cellMarks = marks.slice(0, cells.length);
  // (a 0 withheld is counted with the partners)
  const stageMarks = marks.slice(cells.length, cells.length + entries.length);
  tally.groups('events.onlineLifecycle.browseStages', stageMarks);
  tally.groups('events.onlineLifecycle.crossTable', cellMarks);
  return {
    browseStages: Object.fromEntries(entries.map(([stage, n], j) => [stage, stageMarks[j] === null ? n : null])),
    crossTable: inOrder(listed.length, cells.map((c, i) => (cellMarks[i] === null ? { ...c, suppression: null } : { ...c, customers: null, suppression: cellMarks[i]! })).filter((_, i) => i < listed.length || cellMarks[i] !== null)),
    ...sortedRows(funnelRows, marks.slice(funnelCell(0), funnelCell(funnelRows.length)).map((m, f) => (anonymous(f) ? (belowK(funnelRows[f]!.people, k) ? 'small-group' : null) : m)), rowsOfFunnel.length),
  };
}

/**
 * The events summary as published at k. `groups`: the run's decisions on the groups the segments step's tables count
 * (`publishRunSummary`); without them each breakdown decides alone.
 */
export function publishEventsSummary(summary: EventsSummary, k: number, tally: SuppressionTally, groups: RunGroups = {}, solve?: LinearProgramSolver): PublishedEventsSummary {
  const { funnels, onlineLifecycle } = summary;
  const validation = onlineLifecycle.validation;
  const mirror = (rows: readonly FunnelRow[], byGroup?: ReadonlyMap<string, number | null>) => (byGroup ? mirrorOf(rows, k, byGroup) : undefined);
  const byStage = mirror(funnels.byStage, groups.byStage);
  const lifecycle = publishLifecycleCounts(onlineLifecycle.browseStages, onlineLifecycle.crossTable, k, tally, groups.byStage, { rows: funnels.byStage, preset: byStage?.preset ?? [], cost: byStage?.cost ?? [] }, solve);
  const measured = summary.unavailable?.purchases === undefined;
  return {
    ...summary,
    funnels: {
      overall: publishRows([funnels.overall], k, tally, 'events.funnels.overall', measured)[0]!,
      bySegment: publishRows(funnels.bySegment, k, tally, 'events.funnels.bySegment', measured, mirror(funnels.bySegment, groups.bySegment)),
      // the stages' rows as decided with the cross-table (publishLifecycleCounts)
      byStage: publishRows(lifecycle.funnelRows, k, tally, 'events.funnels.byStage', measured, { preset: lifecycle.funnelMarks }),
      byChannel: publishRows(funnels.byChannel, k, tally, 'events.funnels.byChannel', measured, mirror(funnels.byChannel, groups.byChannel)),
      byCohort: publishRows(funnels.byCohort, k, tally, 'events.funnels.byCohort', measured, mirror(funnels.byCohort, groups.byCohort)),
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
