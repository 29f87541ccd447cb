import type { StageFlow, StageSnapshotSummary, StageTransitions } from './compute-stage-transitions.js';
import { LEGACY_SERIES_STATES, SERIES_STAGES, type LegacyLifecycleSeries, type LifecycleSeries, type SeriesStage } from './lifecycle-series.js';
import type { LifecycleStage } from './lifecycle-stage-rules.js';
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { suppressLinkedCells } from '../privacy/disclosure/suppress-linked-cells.js';
import { withheldMark } from '../privacy/disclosure/below-k.js';
import { combiningReader, type SignedSum } from '../privacy/disclosure/close-subtractions.js';
import { closeCombinations } from '../privacy/disclosure/close-combinations.js';
import type { LinearProgramSolver } from '../privacy/disclosure/hiding-set.js';
import type { SuppressionTally, Withheld, WithheldNumbers } from '../privacy/disclosure/suppress-rows.js';

export type PublishedSnapshot = Omit<StageSnapshotSummary, 'counts'> & {
  readonly counts: Readonly<Record<LifecycleStage, number | null>>;
  /** per stage: why its count is null, or null */
  readonly suppression: Readonly<Record<LifecycleStage, Suppression>>;
};

export type PublishedFlow = Withheld<StageFlow, 'customers'> & { readonly suppression: Suppression };

/** The customer base at each period end by stage, as published: the snapshots' counts and their decisions. */
export type PublishedLifecycleSeries = Omit<LifecycleSeries, 'counts'> & {
  readonly counts: Readonly<Record<SeriesStage, WithheldNumbers>>;
  /** per stage and period: why the count is null, or null */
  readonly suppression: Readonly<Record<SeriesStage, readonly Suppression[]>>;
};

/** The flow series of run.json files written before `measure` (`LegacyLifecycleSeries`), as they were published: read only. */
export type LegacyPublishedLifecycleSeries = LegacyLifecycleSeries<number | null> & {
  readonly suppression: Readonly<Record<(typeof LEGACY_SERIES_STATES)[number], readonly Suppression[]>>;
};

export type PublishedStageTransitions = Omit<StageTransitions, 'snapshots' | 'matrix' | 'steps' | 'series'> & {
  readonly snapshots: readonly PublishedSnapshot[];
  readonly matrix: Omit<StageTransitions['matrix'], 'counts' | 'rates'> & {
    readonly counts: readonly (readonly (number | null)[])[];
    readonly rates: readonly (readonly (number | null)[])[];
    readonly suppression: readonly (readonly Suppression[])[];
  };
  readonly steps: readonly { readonly fromLabel: string; readonly toLabel: string; readonly flows: readonly PublishedFlow[] }[];
  readonly series: PublishedLifecycleSeries;
};

/**
 * Suppress the stage transitions. These tables share their customers, so
 * they are suppressed together:
 *
 * - snapshots: per month, stage counts below k, complementary over the
 *   stages (their total is the customer base at that date, prospects
 *   included), over the stages of buyers (their total is the customers
 *   acquired by then, the cohorts' running sum) and, per stage, over the
 *   months the matrix sums (its column: months 1…T−1; its row: 0…T−2; and
 *   the first and last month, their difference) — all one grid, so no
 *   matrix margin minus the shown months is a withheld month;
 * - matrix (all months' moves from → to): cells below k, complementary in
 *   every row (its rates give the row total) and column; rates go with
 *   their cells; a margin that would still give a withheld month (a stage
 *   withheld in one month only, its other months 0) is withheld;
 * - steps (each month's flows): every flow is a cell of three published
 *   sums — the from-stage count of the month before, the to-stage count of
 *   the month, and the matrix cell it adds to; a flow is withheld when one
 *   of its stage counts is, complementary flows are chosen until no shown
 *   sum reveals a withheld flow by subtraction (`suppressLinkedCells`), and
 *   a withheld matrix cell keeps at least one of its flows withheld (else
 *   it would be the sum of the shown ones);
 * - series: the snapshots' counts of the buyers' stages, with their
 *   decisions.
 *
 * A month's new customers are its acquisition cohort: with `cohorts` (the
 * cohort table's decisions by month label) the flows from `none` into that
 * month are withheld wherever the cohort is, and so is a buyers' count of
 * that month or the one before (the cohort is their buyers' totals'
 * difference). With
 * `lastSnapshot` (the stages now's decisions by stage, when they count the
 * same customers as the last snapshot) the last snapshot withholds at least
 * those; the caller then gives the stages now the last snapshot's decisions.
 * With `prospectsKnown` the last month's prospects are the run's published
 * total (all customers less those acquired): shown, never a partner.
 *
 * On top of these rules the tables are read as a reader who combines every
 * sum would read them (`closeCombinations`: a chain of single subtractions,
 * then `combiningReader`); a count that must stay unknown and is worked out
 * takes one partner that breaks every combination giving it, the nearest in
 * time of the cheapest kind, or, where none does, the cheapest set of cells
 * that hides it (`hidingSet`, a linear program solved by `options.solve`:
 * `loadLinearProgramSolver()`).
 */
export function publishStageTransitions(
  transitions: StageTransitions,
  minGroupSize: number,
  tally: SuppressionTally | undefined,
  options: { readonly solve: LinearProgramSolver; readonly cohorts?: ReadonlyMap<string, Suppression>; readonly lastSnapshot?: ReadonlyMap<string, Suppression>; readonly prospectsKnown?: boolean },
): PublishedStageTransitions {
  const cohortWithheld = (label: string | undefined) => label !== undefined && (options.cohorts?.get(label) ?? null) !== null;
  const k = minGroupSize;
  const stages = transitions.matrix.to;
  const from = transitions.matrix.from;

  // snapshots, suppressed as one grid (month t, stage j) with every sum a reader knows over it:
  // - per month, all stages (the customer base) and the buyers' stages (the customers acquired, the cohorts' running sum);
  // - per stage, months 1…T−1 (the matrix column total: every customer at a later snapshot is in one cell of it), months
  //   0…T−2 (the matrix row total, which its rates give) and months {0, T−1} (column − row = last − first month).
  // `suppressLinkedCells` runs to a fixed point over all of them, so in every one the withheld counts are none or at least
  // two (k people together): no "total − shown months" leaves one. This hides only the months needed (the matrix stays
  // whole); where a group cannot take a second count (one month, or its other months 0) the matrix margin is withheld below.
  const T = transitions.snapshots.length;
  const S = stages.length;
  const at = (t: number, j: number) => t * S + j;
  const months = (first: number, last: number) => Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  const all = stages.map((_, j) => j);
  const buyers = SERIES_STAGES.map((stage) => stages.indexOf(stage));
  const columnMonths = (j: number) => months(1, T - 1).map((t) => at(t, j));
  const rowMonths = (j: number) => (from.includes(stages[j]!) ? months(0, T - 2).map((t) => at(t, j)) : []);
  const ends = (j: number) => (T >= 2 ? [at(0, j), at(T - 1, j)] : []);
  const last = options.lastSnapshot;
  const grid = transitions.snapshots.flatMap((s) => stages.map((stage) => s.counts[stage]));
  // a month's cohort is its buyers' total minus the month before's (B_t − B_t−1): a cohort the cohort table withholds is
  // one more cell of the grid, withheld, whose partition is the buyers' counts of those of the two months whose total is
  // not known otherwise — B_t−1 when t is the last month (`acquired`), either when the cohort table gives neither (its
  // running sum is known up to a month with no withheld cohort before it, or none after it) — so one of them gets a
  // withheld count (and its partner): B_t − B_t−1 stays unknown
  const withheldCohorts = [...(options.cohorts ?? [])].filter(([, m]) => m !== null).map(([label]) => label);
  const label = (t: number) => transitions.snapshots[t]!.label;
  const buyersKnown = (t: number) =>
    t < 0 ? ![...(options.cohorts?.keys() ?? [])].some((l) => l < label(0)) : t === T - 1 || withheldCohorts.every((l) => l > label(t)) || withheldCohorts.every((l) => l <= label(t));
  const buyersTotal = (t: number) => (t < 0 ? 0 : buyers.reduce((sum, j) => sum + grid[at(t, j)]!, 0));
  const cohortLinks = transitions.snapshots.flatMap((_, t) => {
    const open = cohortWithheld(label(t)) ? [t - 1, t].filter((i) => !buyersKnown(i)) : [];
    return open.length === 0 || open[0]! < 0 ? [] : [{ size: buyersTotal(t) - buyersTotal(t - 1), cells: open.flatMap((i) => buyers.map((j) => at(i, j))) }];
  });
  // the last month's counts are the current ones (the last bar, the stages now): a partner is taken there only when no
  // earlier month's count closes the sum
  const decideGrid = (extra: ReadonlySet<number>) => suppressLinkedCells([...grid, ...cohortLinks.map((c) => c.size)], {
    minGroupSize: k,
    cost: [...grid.map((_, i) => (Math.floor(i / S) === T - 1 ? 1 : 0)), ...cohortLinks.map(() => 0)],
    known: [...grid.map((_, i) => options.prospectsKnown === true && Math.floor(i / S) === T - 1 && stages[i % S] === 'prospect'), ...cohortLinks.map(() => false)],
    preset: [
      ...grid.map((_, i) => (extra.has(i) ? 'complementary' : last && Math.floor(i / S) === T - 1 ? last.get(stages[i % S]!) ?? null : null)),
      ...cohortLinks.map((): Suppression => 'complementary'),
    ],
    partitions: [
      ...transitions.snapshots.flatMap((_, t) => [all.map((j) => at(t, j)), buyers.map((j) => at(t, j))]),
      ...(T >= 2 ? all.flatMap((j) => [columnMonths(j), rowMonths(j), ends(j)]) : []),
      ...cohortLinks.map((c, n) => [T * S + n, ...c.cells]),
    ],
  });
  function decide(gridMarks: Suppression[], extra: ReadonlySet<number>): { marks: Suppression[] } {
    const snapshotMarks = transitions.snapshots.map((_, t) => gridMarks.slice(t * S, (t + 1) * S));
    // matrix: rows × columns with both margins published
    const rowsOf = (rows: number, offset = 0) => Array.from({ length: rows }, (_, a) => Array.from({ length: cols }, (_, b) => offset + a * cols + b));
    const colsOf = (rows: number, offset = 0) => Array.from({ length: cols }, (_, b) => Array.from({ length: rows }, (_, a) => offset + a * cols + b));
    // a stage whose months hold one withheld count that no second could join: the matrix margin that sums those months is
    // withheld instead — the column by a withheld cell (the matrix's rules add a second), the row by all its cells (its rates
    // give its total while one non-zero cell shows)
    const alone = (cells: readonly number[]) => cells.filter((i) => gridMarks[i] !== null).length === 1;
    const matrixPreset: Suppression[] = matrixCells.map((_, i) => (extra.has(G + i) ? 'complementary' : null));
    if (T >= 2) {
      all.forEach((j) => {
        const a = from.indexOf(stages[j]!);
        if (alone(columnMonths(j)) || alone(ends(j))) {
          const cell = colsOf(from.length)[j]!.filter((i) => matrixCells[i]! > 0).sort((x, y) => matrixCells[x]! - matrixCells[y]! || x - y)[0];
          if (cell !== undefined) matrixPreset[cell] = 'complementary';
        }
        if (a >= 0 && alone(rowMonths(j))) for (const i of rowsOf(from.length)[a]!) if (matrixCells[i]! > 0) matrixPreset[i] = 'complementary';
      });
    }
    const matrixMarks = suppressLinkedCells(matrixCells, { minGroupSize: k, preset: matrixPreset, partitions: [...rowsOf(from.length), ...colsOf(from.length)] });
    const matrixMark = (a: number, b: number) => matrixMarks[a * cols + b]!;

    // steps: one cell per (step, from, to), linked to the snapshots and the matrix
    const preset: Suppression[] = [];
    const stageIndex = new Map<string, number>(stages.map((s, j) => [s, j]));
    transitions.steps.forEach((_, s) => {
      stepCells.slice(s * perStep, (s + 1) * perStep).forEach((count, cell) => {
        const a = Math.floor(cell / cols);
        const b = cell % cols;
        const fromStage = stageIndex.get(from[a]!);
        const before = fromStage === undefined ? null : snapshotMarks[s]?.[fromStage] ?? null;
        const after = snapshotMarks[s + 1]?.[b] ?? null;
        const acquired = from[a] === 'none' && cohortWithheld(transitions.snapshots[s + 1]?.label);
        preset.push(extra.has(G + M + s * perStep + cell) ? 'complementary' : before !== null || after !== null || acquired ? withheldMark(count, k) : null);
      });
    });
    const stepPartitions = transitions.steps.flatMap((_, s) => [...rowsOf(from.length, s * perStep), ...colsOf(from.length, s * perStep)]);
    const acrossSteps = Array.from({ length: perStep }, (_, cell) => transitions.steps.map((_, s) => s * perStep + cell));
    // a shown matrix cell is the published sum of its monthly flows; a withheld one must not be that sum of shown flows
    const shownSums = acrossSteps.filter((_, cell) => matrixMark(Math.floor(cell / cols), cell % cols) === null);
    let stepMarks: Suppression[] = suppressLinkedCells(stepCells, { minGroupSize: k, preset, partitions: [...stepPartitions, ...shownSums] });
    for (let open = true; open; ) {
      open = false;
      acrossSteps.forEach((flows, cell) => {
        if (matrixMark(Math.floor(cell / cols), cell % cols) === null || flows.some((i) => stepMarks[i] !== null)) return;
        const smallest = flows.filter((i) => stepCells[i]! > 0).sort((x, y) => stepCells[x]! - stepCells[y]! || x - y)[0];
        if (smallest === undefined) return;
        stepMarks[smallest] = 'complementary';
        open = true;
      });
      if (open) stepMarks = suppressLinkedCells(stepCells, { minGroupSize: k, preset: stepMarks, partitions: [...stepPartitions, ...shownSums] });
    }
    return { marks: [...gridMarks, ...matrixMarks, ...stepMarks] };
  }

  const stageIndexOf = (state: string) => stages.indexOf(state as LifecycleStage);
  const prospectKnown = (i: number) => options.prospectsKnown === true && Math.floor(i / S) === T - 1 && stages[i % S] === 'prospect';
  const G = grid.length;
  const cols = stages.length;
  const matrixCells = transitions.matrix.counts.flat();
  const M = matrixCells.length;
  const perStep = from.length * cols;
  const stepCells: number[] = [];
  transitions.steps.forEach((step) => {
    const cells = new Array<number>(perStep).fill(0);
    for (const f of step.flows) cells[from.indexOf(f.from) * cols + stages.indexOf(f.to)] = f.customers;
    stepCells.push(...cells);
  });
  // every sum a reader knows over the snapshots (cells 0 … G−1), the matrix (G …) and the flows (G + M …), with the
  // customer base of each month (G + M + flows …: no table prints it, a reader may work it out)
  const base = (t: number) => G + M + stepCells.length + t;
  const snapAt = (t: number, j: number) => at(t, j);
  const matrixAt = (a: number, b: number) => G + a * cols + b;
  const flowAt = (s: number, a: number, b: number) => G + M + s * perStep + a * cols + b;
  // each with its signs (Σ coefficient × cell = 0): the parts +1, the total −1
  const total = (parts: readonly number[], ...totals: readonly (readonly [number, number])[]): SignedSum => [...parts.map((i) => [i, 1] as const), ...totals];
  const minus = (cells: readonly number[]) => cells.map((i) => [i, -1] as const);
  const sums: SignedSum[] = [
    ...transitions.snapshots.map((_, t) => total(all.map((j) => snapAt(t, j)), [base(t), -1])),
    ...transitions.steps.flatMap((_, s) => [
      ...stages.map((_, b) => total(from.map((_, a) => flowAt(s, a, b)), [snapAt(s + 1, b), -1])),
      ...from.map((state, a) => total(stages.map((_, b) => flowAt(s, a, b)), ...(state === 'none' ? ([[base(s + 1), -1], [base(s), 1]] as const) : ([[snapAt(s, stageIndexOf(state)), -1]] as const)))),
    ]),
    ...from.flatMap((_, a) => stages.map((_, b) => total(transitions.steps.map((_, s) => flowAt(s, a, b)), [matrixAt(a, b), -1]))),
    ...(T >= 2 ? stages.map((_, b) => total(from.map((_, a) => matrixAt(a, b)), ...minus(months(1, T - 1).map((t) => snapAt(t, b))))) : []),
    ...(T >= 2 ? from.map((state, a) => total(stages.map((_, b) => matrixAt(a, b)), ...(state === 'none' ? ([[base(T - 1), -1], [base(0), 1]] as const) : minus(months(0, T - 2).map((t) => snapAt(t, stageIndexOf(state))))))) : []),
  ];
  // a matrix row's total, which its rates give while a non-zero cell of the row shows: a cell of its own (after the
  // customer bases), known or not as the row's cells are, in a sum the chain of single subtractions leaves out
  const rowTotal = (a: number) => G + M + stepCells.length + T + a;
  const rowTotals: SignedSum[] = from.map((_, a) => total(stages.map((_, b) => matrixAt(a, b)), [rowTotal(a), -1]));
  // the non-zero cells of a matrix row that are printed, each with its rate: the row's total is known while there is one
  // (a cell given away is known to the reader but not printed: its rate does not show, so it gives no total)
  const rowPrinted = (a: number, printed: (i: number) => boolean) => stages.map((_, b) => matrixAt(a, b)).filter((i) => printed(i) && counts[i]! > 0);
  // the cohort table's sizes (monthly, labelled as the months): a month's buyers' counts less the month before's are the
  // cohorts acquired between (the first month's: every cohort up to it) — each cohort a cell of its own after the row
  // totals, known where the cohort table shows it, given away (a withheld cohort) as any count is
  const cohortLabels = transitions.period === 'month' ? [...(options.cohorts?.keys() ?? [])].sort() : [];
  const cohortAt = (n: number) => rowTotal(from.length) + n;
  const cohortOf = new Map(cohortLabels.map((l, n) => [cohortAt(n), l]));
  const cohortSums: SignedSum[] = cohortLabels.length === 0 ? [] : [
    ...transitions.snapshots.map((_, t): SignedSum => [
      ...buyers.map((j) => [snapAt(t, j), 1] as const),
      ...(t > 0 ? buyers.map((j) => [snapAt(t - 1, j), -1] as const) : []),
      ...cohortLabels.flatMap((l, n) => (l <= label(t) && (t === 0 || l > label(t - 1)) ? [[cohortAt(n), -1] as const] : [])),
    ]),
    // and all of them, the customers acquired (published: segments.rfm.customers)
    cohortLabels.map((_, n) => [cohortAt(n), 1] as const),
  ];
  // the customer base of the last month is the stages now's total when they are the same day
  const unpublished = new Set(transitions.snapshots.map((_, t) => base(t)).filter((i) => !(last && i === base(T - 1))));
  const counts = [...grid, ...matrixCells, ...stepCells];
  // a flow first, then a matrix cell, then a month's count (the last month's last: the stages now)
  const kind = (i: number) => (i >= G + M ? 0 : i >= G ? 1 : Math.floor(i / S) === T - 1 ? 3 : 2);
  // and of a kind, the nearest in time to the cell given away (a month's count at 2t, a flow of step s at 2s + 1, a
  // matrix cell all months, a total none): a sum near it is broken, not one of the same combination months away
  const when = (i: number) => (i >= counts.length ? -1 : i < G ? 2 * Math.floor(i / S) : i < G + M ? -1 : 2 * Math.floor((i - G - M) / perStep) + 1);
  const distance = (i: number, cell: number) => (when(i) < 0 || when(cell) < 0 ? 0 : Math.abs(when(i) - when(cell)));
  // the counts the reader must not work out: those withheld for their size (a cohort the cohort table withholds so
  // among them), and the last month's that the stages now withhold (the tables that mirror the stages now — KPIs,
  // funnels, cross-table — take their decisions as unknowns). A partner the reader works out protects nothing and
  // needs none: a cell it works out is known or unknown to it alike for what else it works out (the pass at the end
  // shows such partners again)
  const mustHide = (i: number, marks: readonly Suppression[]) =>
    cohortOf.has(i) ? options.cohorts?.get(cohortOf.get(i)!) === 'small-group' : marks[i] === 'small-group' || (last !== undefined && i < G && Math.floor(i / S) === T - 1 && (last.get(stages[i % S]!) ?? null) !== null);
  // a chain of single subtractions first (cheap: its partner is one of its sum's cells), then any combination of the
  // sums (a linear system over the withheld cells: the matrix rows' totals and the cohorts with them)
  const allSums = [...sums, ...rowTotals, ...cohortSums];
  const isRowTotal = (i: number) => i >= rowTotal(0) && i < rowTotal(from.length);
  // withhold the next cell of a sum that gives a withheld cell away (not a flow of 0: the steps list only the flows that
  // happened, so a reader reads a flow not listed as 0); a sum with no cell left to withhold gives it away whatever is
  // done (a count shown as a total, its flows 0): that cell is taken as known from then on
  const closed = closeCombinations({
    // (the totals' counts are not read: the customer bases, the rows' totals, the cohorts)
    counts: [...counts, ...new Array<number>(T + from.length + cohortLabels.length).fill(0)],
    sums: allSums,
    chainSums: sums.length,
    unpublished,
    // a cohort the cohort table withholds; a matrix row's total is known through its printed non-zero cells' rates
    withheldTotals: new Set(cohortLabels.flatMap((l, n) => (cohortWithheld(l) ? [cohortAt(n)] : []))),
    knownThrough: (i, printed) => (isRowTotal(i) ? rowPrinted(i - rowTotal(0), printed) : undefined),
    decide: (extra) => decide(decideGrid(extra).slice(0, G), extra).marks,
    mustHide,
    // not a count the reader knows: a prospect count of the last month shown as a total, a flow or a matrix cell of 0
    // (the steps list only the flows that happened)
    free: (i) => i < counts.length && !prospectKnown(i) && !(i >= G && counts[i] === 0),
    cost: (i, cell) => kind(i) * 4 * T + distance(i, cell),
    // a hiding set's: a flow costs 1, a matrix cell 4 (its rate goes, and its row and column need a second), a month's
    // count 16 (its flows go with it), the last month's 64, each a little more the further in time from the cell
    weight: (i, cell) => [1, 4, 16, 64][kind(i)]! * (1 + distance(i, cell) / (4 * T)),
    // months and flows within 2 months of the cell move first (a small program, a set near the cell), then within 6,
    // 18, then all — in halves of a month; once every month and flow is within reach (the farthest are 2(T − 1)
    // half-months apart) wider finds the same
    reach: (cell) => [4, 12, 36, Infinity].filter((r, n, all) => n === 0 || all[n - 1]! < 2 * (T - 1)).map((r) => (i: number) => distance(i, cell) <= r),
    solve: options.solve,
  });
  const decided = { marks: closed.marks };
  // a withheld count the reader still works out from the shown ones at the end hides nothing: a partner (complementary)
  // or a prospect count (the prospects of a month when nobody signed up or bought since: the prospects now, a published
  // total) is shown. Showing a count a reader works out adds nothing to what they know, so each is shown at once — but a
  // matrix cell brings its rate, which gives its row's total: one is shown only when its row's total is known already
  // (a non-zero cell of it shown, or the total worked out) or it is 0. A small count so given away (by a sum with no
  // cell left to withhold: a count shown as a total, its flows 0) stays withheld: it hides nothing either, but a table
  // does not print a count below k
  const prospectCell = (i: number) => (i < G ? stages[i % S] === 'prospect' : i < G + M ? stages[(i - G) % cols] === 'prospect' : stages[(i - G - M) % cols] === 'prospect');
  // (what the reader does not know at the end, cell by cell: the withheld counts, the customer bases — `unpublished`,
  // unknown whatever this says — a matrix row's total while no rate of its row shows, a cohort the cohort table withholds)
  const printedAtEnd = (i: number) => i < counts.length && decided.marks[i] === null;
  const unknownAtEnd = [...decided.marks.map((m) => m !== null), ...new Array<boolean>(T).fill(false), ...from.map((_, a) => rowPrinted(a, printedAtEnd).length === 0), ...cohortLabels.map((l) => cohortWithheld(l))];
  const atEnd = combiningReader(allSums, unpublished)(unknownAtEnd);
  const totalKnown = (a: number) => rowPrinted(a, printedAtEnd).length > 0 || atEnd.some(({ cell }) => cell === rowTotal(a));
  const showable = (i: number) => i < G || i >= G + M || counts[i] === 0 || totalKnown(Math.floor((i - G) / cols));
  for (const { cell } of atEnd) if (cell < counts.length && (decided.marks[cell] === 'complementary' || prospectCell(cell)) && showable(cell)) decided.marks[cell] = null;
  const gridMarks = decided.marks.slice(0, G);
  const matrixMarks = decided.marks.slice(G, G + M);
  const stepMarks = decided.marks.slice(G + M);
  const snapshotMarks = transitions.snapshots.map((_, t) => gridMarks.slice(t * S, (t + 1) * S));
  snapshotMarks.forEach((marks) => tally?.groups('segments.transitions.snapshots', marks));
  tally?.groups('segments.transitions.matrix', matrixMarks);
  const matrixMark = (a: number, b: number) => matrixMarks[a * cols + b]!;
  const snapshots: PublishedSnapshot[] = transitions.snapshots.map((s, t) => ({
    ...s,
    counts: Object.fromEntries(stages.map((stage, j) => [stage, snapshotMarks[t]![j] === null ? s.counts[stage] : null])) as Record<LifecycleStage, number | null>,
    suppression: Object.fromEntries(stages.map((stage, j) => [stage, snapshotMarks[t]![j]!])) as Record<LifecycleStage, Suppression>,
  }));

  const steps = transitions.steps.map((step, s) => ({
    ...step,
    flows: step.flows.map((f): PublishedFlow => {
      const m = stepMarks[s * perStep + from.indexOf(f.from) * cols + stages.indexOf(f.to)]!;
      return { ...f, customers: m === null ? f.customers : null, suppression: m };
    }),
  }));
  tally?.groups('segments.transitions.steps', steps.flatMap((step) => step.flows.map((f) => f.suppression)));

  return {
    ...transitions,
    snapshots,
    matrix: {
      ...transitions.matrix,
      counts: transitions.matrix.counts.map((row, a) => row.map((c, b) => (matrixMark(a, b) === null ? c : null))),
      rates: transitions.matrix.rates.map((row, a) => row.map((r, b) => (matrixMark(a, b) === null ? r : null))),
      suppression: transitions.matrix.counts.map((row, a) => row.map((_, b) => matrixMark(a, b))),
    },
    steps,
    series: publishLifecycleSeries(transitions.series, snapshotMarks.map((marks) => (stage: SeriesStage) => marks[stages.indexOf(stage)] ?? null), tally),
  };
}

/** The series is the snapshots' counts: each takes its snapshot's decision. */
function publishLifecycleSeries(series: LifecycleSeries, marks: readonly ((stage: SeriesStage) => Suppression)[], tally?: SuppressionTally): PublishedLifecycleSeries {
  const counts = Object.fromEntries(SERIES_STAGES.map((stage) => [stage, series.counts[stage].map((c, t) => (marks[t]!(stage) === null ? c : null))])) as Record<SeriesStage, (number | null)[]>;
  const suppression = Object.fromEntries(SERIES_STAGES.map((stage) => [stage, series.periodLabels.map((_, t) => marks[t]!(stage))])) as Record<SeriesStage, Suppression[]>;
  series.periodLabels.forEach((_, t) => tally?.groups('segments.transitions.series', SERIES_STAGES.map((stage) => suppression[stage][t]!)));
  return { ...series, counts, suppression };
}
