/**
 * A reader's attack on a published run: every sum one published table gives of another's counts is written as an
 * equation (Σ coefficient × cell = 0, totals and shown counts known, withheld counts unknown), and any equation left
 * with one unknown is solved — repeated, so a count recovered in one table is used in the next (subtraction across
 * tables), and any combination of them (`recoverBySubtraction`: a linear system). What it recovers is a withheld count the
 * run gave away.
 *
 * The sums (each exact for a run's tables, `equationsThatDoNotHold` checks them on a run's shown counts):
 * - the stages now add up to all customers (`segments.stages.customers`), the buyers' stages to the customers acquired
 *   (`segments.rfm.customers`);
 * - the KPIs by stage count each stage's customers again;
 * - the funnel rows by stage add up to the overall row, their people and the people of each step; the `(anonymous)`
 *   row's people are stitching's visitors never linked and sessions without an id (`events.stitching`);
 * - a cross-table column (browse stages and `none`, no session) adds up to its purchase stage's customers; its browse
 *   cells to the stage's people in the funnel (customers with sessions); a row to its browse stage.
 */
type Row = Record<string, any>;
type Cell = string;
interface Equation { readonly name: string; readonly terms: readonly (readonly [Cell, number])[] }

const STEPS = ['viewed', 'carted', 'purchased'] as const;

/** The cells and equations of a published run (run.json's shape; missing tables are left out). */
export function runEquations(run: Row): { values: Map<Cell, number | null>; equations: Equation[]; unpublished: Set<Cell> } {
  const values = new Map<Cell, number | null>();
  const equations: Equation[] = [];
  const unpublished = new Set<Cell>();
  // a number no table publishes (the customer base of an earlier month): unknown, and no withheld count if found
  const cell = (name: Cell, value: number | null | undefined, published = true) => {
    values.set(name, value ?? null);
    if (!published) unpublished.add(name);
    return name;
  };
  const sum = (name: string, parts: readonly Cell[], total: Cell) => equations.push({ name, terms: [...parts.map((p) => [p, 1] as const), [total, -1]] });
  const stages: Row[] = run.segments?.stages?.stages ?? [];
  const stageCells = new Map(stages.map((s) => [String(s.stage), cell(`stages ${s.stage}`, s.customers)]));
  if (stages.length > 0) {
    sum('stages now: all customers', [...stageCells.values()], cell('stages total', run.segments.stages.customers));
    if (run.segments.rfm?.customers !== undefined) sum("stages now: the customers acquired", stages.filter((s) => s.stage !== 'prospect').map((s) => stageCells.get(String(s.stage))!), cell('customers acquired', run.segments.rfm.customers));
  }
  for (const k of run.segments?.kpis?.byStage ?? []) {
    const stage = stageCells.get(String(k.group));
    if (stage) sum(`KPIs by stage ${k.group}`, [cell(`KPIs ${k.group}`, k.customers)], stage);
  }
  const funnels = run.events?.funnels;
  const funnelCells = new Map<string, Cell>();
  if (funnels) {
    const rows: Row[] = funnels.byStage;
    // the people of the row of visitors without a customer are stitching's visitors never linked and sessions without
    // an id (each one person): published there
    const stitching = run.events.stitching;
    const people = (r: Row) => (r.group === '(anonymous)' && stitching ? stitching.visitorsAnonymous + stitching.sessionsWithoutIds : r.people);
    for (const r of rows) funnelCells.set(String(r.group), cell(`funnel ${r.group}`, people(r)));
    if (rows.length > 0) {
      sum('funnel by stage: overall people', [...funnelCells.values()], cell('funnel overall', funnels.overall.people));
      for (const step of STEPS) sum(`funnel by stage: overall ${step}`, rows.map((r) => cell(`funnel ${r.group} ${step}`, r[step]?.people)), cell(`funnel overall ${step}`, funnels.overall[step]?.people));
    }
  }
  const lifecycle = run.events?.onlineLifecycle;
  if (lifecycle && lifecycle.crossTable.length > 0) {
    const cells: Row[] = lifecycle.crossTable;
    const at = (c: Row) => cell(`cross ${c.browseStage} × ${c.purchaseStage}`, c.customers);
    for (const stage of new Set(cells.map((c) => String(c.purchaseStage)))) {
      const column = cells.filter((c) => c.purchaseStage === stage);
      const total = stageCells.get(stage);
      if (total) sum(`cross-table column ${stage}`, column.map(at), total);
      const people = funnelCells.get(stage);
      if (people) sum(`cross-table column ${stage}: its browsers`, column.filter((c) => c.browseStage !== 'none').map(at), people);
    }
    for (const [browse, n] of Object.entries(lifecycle.browseStages as Record<string, number | null>)) {
      sum(`cross-table row ${browse}`, cells.filter((c) => c.browseStage === browse).map(at), cell(`browse stage ${browse}`, n));
    }
  }
  const transitions = run.segments?.transitions;
  if (transitions && transitions.snapshots.length >= 2) addTransitions(transitions, cell, sum, equations, run.segments.stages?.asOf === transitions.snapshots.at(-1).day ? 'stages total' : null, run.segments.cohorts?.cohorts);
  return { values, equations, unpublished };
}

/**
 * The transitions' sums: per step, each to-stage's flows add up to its count at the month's snapshot, each from-stage's
 * to its count at the month before, the flows from `none` to the customer base's growth; each matrix cell is the sum of
 * its monthly flows; a matrix column is its stage's snapshots 1…T−1, a row its snapshots 0…T−2, and its total is what its
 * rates give (a shown non-zero cell over its rate); a month's buyers less the month before's are the cohorts acquired
 * between (the cohort table's sizes, a withheld one an unknown); each
 * snapshot adds up to the customer base then (the last: the stages now's total, when the same day).
 */
function addTransitions(t: Row, cell: (name: Cell, value: number | null | undefined, published?: boolean) => Cell, sum: (name: string, parts: readonly Cell[], total: Cell) => void, equations: Equation[], lastBase: Cell | null, cohortRows?: readonly Row[]): void {
  const snapshots: Row[] = t.snapshots;
  const from: string[] = t.matrix.from;
  const to: string[] = t.matrix.to;
  const T = snapshots.length;
  const snap = (i: number, stage: string) => cell(`snapshot ${snapshots[i]!.label} ${stage}`, snapshots[i]!.counts[stage]);
  const base = (i: number) => (i === T - 1 && lastBase !== null ? lastBase : cell(`customer base ${snapshots[i]!.label}`, null, false));
  snapshots.forEach((_, i) => sum(`snapshot ${snapshots[i]!.label}: the customer base`, to.map((x) => snap(i, x)), base(i)));
  const matrix = (a: string, b: string) => cell(`matrix ${a} → ${b}`, t.matrix.counts[from.indexOf(a)]![to.indexOf(b)]);
  (t.steps as Row[]).forEach((step, s) => {
    const flow = (a: string, b: string) => {
      const f = (step.flows as Row[]).find((x) => x.from === a && x.to === b);
      return cell(`flow ${step.toLabel} ${a} → ${b}`, f ? f.customers : 0);
    };
    for (const b of to) sum(`step ${step.toLabel}: into ${b}`, from.map((a) => flow(a, b)), snap(s + 1, b));
    for (const a of from) {
      if (a === 'none') equations.push({ name: `step ${step.toLabel}: from none (the base's growth)`, terms: [...to.map((b) => [flow(a, b), 1] as const), [base(s + 1), -1], [base(s), 1]] });
      else sum(`step ${step.toLabel}: out of ${a}`, to.map((b) => flow(a, b)), snap(s, a));
    }
  });
  // the cohort table's sizes (monthly): a month's buyers' counts less the month before's are the cohorts acquired between
  const cohorts: readonly Row[] = cohortRows ?? [];
  if (cohorts.length > 0 && t.period === 'month') {
    const buyers = to.filter((x) => x !== 'prospect');
    snapshots.forEach((snapshot, i) => {
      const between = cohorts.filter((c) => String(c.label) <= String(snapshot.label) && (i === 0 || String(c.label) > String(snapshots[i - 1]!.label)));
      equations.push({
        name: `cohorts acquired by ${snapshot.label}: its buyers less the month before's`,
        terms: [...buyers.map((b) => [snap(i, b), 1] as const), ...(i > 0 ? buyers.map((b) => [snap(i - 1, b), -1] as const) : []), ...between.map((c) => [cell(`cohort ${c.label}`, c.customers), -1] as const)],
      });
    });
  }
  for (const a of from) for (const b of to) sum(`matrix ${a} → ${b}: its flows`, (t.steps as Row[]).map((step) => `flow ${step.toLabel} ${a} → ${b}`), matrix(a, b));
  for (const b of to) equations.push({ name: `matrix column ${b}`, terms: [...from.map((a) => [matrix(a, b), 1] as const), ...snapshots.slice(1).map((_, i) => [snap(i + 1, b), -1] as const)] });
  // a row's rates give its total while one non-zero cell shows: count / rate
  from.forEach((a, i) => {
    const b = to.findIndex((_, j) => t.matrix.counts[i][j] !== null && t.matrix.counts[i][j] > 0 && t.matrix.rates[i][j] !== null);
    if (b >= 0) sum(`matrix row ${a}: its rates`, to.map((x) => matrix(a, x)), cell(`matrix row ${a} total (its rates)`, Math.round(t.matrix.counts[i][b] / t.matrix.rates[i][b])));
  });
  for (const a of from.filter((x) => x !== 'none')) equations.push({ name: `matrix row ${a}`, terms: [...to.map((b) => [matrix(a, b), 1] as const), ...snapshots.slice(0, -1).map((_, i) => [snap(i, a), -1] as const)] });
}

/** The equations that do not hold on the counts shown (all their cells shown): a sum the attack takes for exact is not. */
export function equationsThatDoNotHold(run: Row): string[] {
  const { values, equations } = runEquations(run);
  return equations.filter((e) => e.terms.every(([c]) => values.get(c) !== null) && e.terms.reduce((s, [c, a]) => s + a * values.get(c)!, 0) !== 0).map((e) => e.name);
}

/**
 * The withheld counts recovered by combining the sums, with the equations combined to give each: `cell = value (sums)`.
 * Not one unknown at a time: every equation is a row of a linear system over the unknown cells (withheld, and the
 * unpublished totals), reduced by Gauss-Jordan elimination with its known part carried along; a reduced row with one
 * unknown left fixes that cell, whatever combination of sums (with their signs) it took. An unpublished cell found is
 * not reported.
 */
export function recoverBySubtraction(run: Row): string[] {
  const { values, equations, unpublished } = runEquations(run);
  const unknowns = [...new Set(equations.flatMap((e) => e.terms.map(([c]) => c)))].filter((c) => values.get(c) === null);
  const column = new Map(unknowns.map((c, i) => [c, i]));
  // each row: [coefficients over the unknowns…, the known part (moved to the right), the equations it combines]
  type Reduced = { coefficients: number[]; constant: number; combination: Map<string, number> };
  const reduced: { pivot: number; row: Reduced }[] = [];
  const axpy = (row: Reduced, by: Reduced, factor: number) => {
    row.coefficients = row.coefficients.map((a, i) => (Math.abs(a - factor * by.coefficients[i]!) < 1e-9 ? 0 : a - factor * by.coefficients[i]!));
    row.constant -= factor * by.constant;
    for (const [name, a] of by.combination) {
      const b = (row.combination.get(name) ?? 0) - factor * a;
      if (Math.abs(b) < 1e-9) row.combination.delete(name);
      else row.combination.set(name, b);
    }
  };
  for (const e of equations) {
    const row: Reduced = { coefficients: new Array<number>(unknowns.length).fill(0), constant: 0, combination: new Map([[e.name, 1]]) };
    for (const [c, a] of e.terms) {
      const i = column.get(c);
      if (i === undefined) row.constant -= a * values.get(c)!;
      else row.coefficients[i]! += a;
    }
    for (const { pivot, row: by } of reduced) if (row.coefficients[pivot] !== 0) axpy(row, by, row.coefficients[pivot]!);
    const pivot = row.coefficients.findIndex((a) => a !== 0);
    if (pivot < 0) continue;
    const scale = row.coefficients[pivot]!;
    row.coefficients = row.coefficients.map((a) => a / scale);
    row.constant /= scale;
    for (const [name, a] of row.combination) row.combination.set(name, a / scale);
    for (const other of reduced) if (other.row.coefficients[pivot] !== 0) axpy(other.row, row, other.row.coefficients[pivot]!);
    reduced.push({ pivot, row });
  }
  return reduced
    .filter(({ pivot, row }) => row.coefficients.every((a, i) => i === pivot || a === 0) && !unpublished.has(unknowns[pivot]!))
    .map(({ pivot, row }) => `${unknowns[pivot]} = ${Math.round(row.constant * 1e6) / 1e6} (${combinationText(row.combination)})`);
}

/** `a·(sum) + b·(sum) …`, the sums with their factors (a factor of 1 left out), at most eight of them named. */
function combinationText(combination: ReadonlyMap<string, number>): string {
  const factor = (a: number) => (Math.abs(Math.abs(a) - 1) < 1e-9 ? '' : `${Math.round(Math.abs(a) * 1e6) / 1e6}·`);
  const terms = [...combination].map(([name, a], i) => `${i === 0 ? (a < 0 ? '−' : '') : a < 0 ? ' − ' : ' + '}${factor(a)}(${name})`);
  return terms.length > 8 ? `${terms.slice(0, 8).join('')} … ${terms.length} sums` : terms.join('');
}
