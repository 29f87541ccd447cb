/**
 * A reader's attack on a published run: every sum one published table gives of another's counts is written as an
 * equation (Σ coefficient × cell = 0, totals and shown counts known, withheld counts unknown), and any equation left
 * with one unknown is solved — repeated, so a count recovered in one table is used in the next (subtraction across
 * tables). What it recovers is a withheld count the run gave away.
 *
 * The sums (each exact for a run's tables, `equationsThatDoNotHold` checks them on a run's shown counts):
 * - the stages now add up to all customers (`segments.stages.customers`), the buyers' stages to the customers acquired
 *   (`segments.rfm.customers`);
 * - the KPIs by stage count each stage's customers again;
 * - the funnel rows by stage add up to the overall row, their people and the people of each step;
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
    for (const r of rows) funnelCells.set(String(r.group), cell(`funnel ${r.group}`, r.people));
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
  if (transitions && transitions.snapshots.length >= 2) addTransitions(transitions, cell, sum, equations, run.segments.stages?.asOf === transitions.snapshots.at(-1).day ? 'stages total' : null);
  return { values, equations, unpublished };
}

/**
 * The transitions' sums: per step, each to-stage's flows add up to its count at the month's snapshot, each from-stage's
 * to its count at the month before, the flows from `none` to the customer base's growth; each matrix cell is the sum of
 * its monthly flows; a matrix column is its stage's snapshots 1…T−1, a row its snapshots 0…T−2 (its rates give it); each
 * snapshot adds up to the customer base then (the last: the stages now's total, when the same day).
 */
function addTransitions(t: Row, cell: (name: Cell, value: number | null | undefined, published?: boolean) => Cell, sum: (name: string, parts: readonly Cell[], total: Cell) => void, equations: Equation[], lastBase: Cell | null): void {
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
  for (const a of from) for (const b of to) sum(`matrix ${a} → ${b}: its flows`, (t.steps as Row[]).map((step) => `flow ${step.toLabel} ${a} → ${b}`), matrix(a, b));
  for (const b of to) equations.push({ name: `matrix column ${b}`, terms: [...from.map((a) => [matrix(a, b), 1] as const), ...snapshots.slice(1).map((_, i) => [snap(i + 1, b), -1] as const)] });
  for (const a of from.filter((x) => x !== 'none')) equations.push({ name: `matrix row ${a}`, terms: [...to.map((b) => [matrix(a, b), 1] as const), ...snapshots.slice(0, -1).map((_, i) => [snap(i, a), -1] as const)] });
}

/** The equations that do not hold on the counts shown (all their cells shown): a sum the attack takes for exact is not. */
export function equationsThatDoNotHold(run: Row): string[] {
  const { values, equations } = runEquations(run);
  return equations.filter((e) => e.terms.every(([c]) => values.get(c) !== null) && e.terms.reduce((s, [c, a]) => s + a * values.get(c)!, 0) !== 0).map((e) => e.name);
}

/** The withheld counts recovered by subtraction, with the equation that gave each: `cell = value (equation)`. */
export function recoverBySubtraction(run: Row): string[] {
  const { values, equations, unpublished } = runEquations(run);
  const known = new Map([...values].filter(([, v]) => v !== null) as [Cell, number][]);
  const recovered: string[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const e of equations) {
      const unknown = e.terms.filter(([c]) => !known.has(c));
      if (unknown.length !== 1) continue;
      const [c, a] = unknown[0]!;
      const value = -e.terms.filter(([d]) => d !== c).reduce((s, [d, b]) => s + b * known.get(d)!, 0) / a;
      known.set(c, value);
      if (!unpublished.has(c)) recovered.push(`${c} = ${value} (${e.name})`);
      changed = true;
    }
  }
  return recovered;
}
