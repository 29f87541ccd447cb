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
export function runEquations(run: Row): { values: Map<Cell, number | null>; equations: Equation[] } {
  const values = new Map<Cell, number | null>();
  const equations: Equation[] = [];
  const cell = (name: Cell, value: number | null | undefined) => {
    values.set(name, value ?? null);
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
  return { values, equations };
}

/** The equations that do not hold on the counts shown (all their cells shown): a sum the attack takes for exact is not. */
export function equationsThatDoNotHold(run: Row): string[] {
  const { values, equations } = runEquations(run);
  return equations.filter((e) => e.terms.every(([c]) => values.get(c) !== null) && e.terms.reduce((s, [c, a]) => s + a * values.get(c)!, 0) !== 0).map((e) => e.name);
}

/** The withheld counts recovered by subtraction, with the equation that gave each: `cell = value (equation)`. */
export function recoverBySubtraction(run: Row): string[] {
  const { values, equations } = runEquations(run);
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
      recovered.push(`${c} = ${value} (${e.name})`);
      changed = true;
    }
  }
  return recovered;
}
