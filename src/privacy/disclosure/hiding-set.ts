/**
 * The cells to withhold so that a reader who combines the published sums can no longer work out one cell, found as a
 * linear program (HiGHS, compiled to WebAssembly: the `highs` package).
 *
 * A cell is hidden exactly when some change of the table keeps every published sum and every shown cell and moves
 * that cell: a vector d with Σ coefficient × d = 0 in every sum, d = 1 at the cell and 0 at every cell the reader knows.
 * Withholding a set of shown cells frees d there. So the cheapest set is the support, among the shown cells, of the
 * vector d that minimises Σ weight × |d| over the shown cells that may be withheld (the withheld and unpublished cells
 * are free: weight 0) — the L1 relaxation of the smallest set, whose optimal vertex is sparse (for these sums, of 0 and
 * ±1 coefficients, a cycle through the tables). Whatever the optimum, withholding its support hides the cell: d is a
 * change the reader cannot tell from the published table.
 *
 * This is what a single partner cannot do: when every shown cell of the combination that gives the cell away is one
 * the reader also works out from shown cells alone (a table where every margin is published), withholding one of them
 * changes nothing — it is worked out again. The sets found here are the cycles of the cell-suppression literature
 * (Cox 1980, "Suppression methodology and statistical disclosure control"; Fischetti & Salazar 2001, "Solving the cell
 * suppression problem on tabular data with linear constraints"), one cell at a time.
 */
import highs, { type Highs } from 'highs';
import type { SignedSum } from './close-subtractions.js';

/** Solves a linear program written in CPLEX LP format: the value of every column, or null when it is infeasible (any other end throws). */
export type LinearProgramSolver = (problem: string) => ReadonlyMap<string, number> | null;

// an ES module import gets the package's ES build, whose default export is the loader; its types read as the CommonJS
// build's (the loader as `default`) under NodeNext resolution and as the loader under the dashboard's Bundler
// resolution (web/tsconfig.json takes src/ in too): either is taken
const loaded = highs as unknown as (() => Promise<Highs>) | { readonly default: () => Promise<Highs> };
const loadHighs = typeof loaded === 'function' ? loaded : loaded.default;

let loading: Promise<LinearProgramSolver> | undefined;

/**
 * The solver, loaded once per process (compiling HiGHS takes about 0.1 s, so it is loaded where it is needed, not at
 * start-up).
 *
 * Example: `const solve = await loadLinearProgramSolver(); hidingSet({ ... }, solve)`.
 */
export function loadLinearProgramSolver(): Promise<LinearProgramSolver> {
  loading ??= loadHighs().then((solver) => (problem: string) => {
    const result = solver.solve(problem, { output_flag: false });
    // infeasible: no set within reach hides the cell (the objective is ≥ 0, so "infeasible or unbounded" is infeasible).
    // Any other end (a limit reached, an unknown status) is no answer, and a cell taken as unhideable on it would be
    // given away without a word: the run fails instead
    if (result.Status === 'Infeasible' || result.Status === 'Primal infeasible or unbounded') return null;
    if (result.Status !== 'Optimal') throw new Error(`the linear program of a hiding set ended ${result.Status}`);
    return new Map(Object.values(result.Columns).map((column) => [column.Name, column.Primal]));
  });
  return loading;
}

export interface HidingProblem {
  /** every sum the reader knows: Σ coefficient × cell = 0 */
  readonly sums: readonly SignedSum[];
  /** the cell to hide (withheld now, and worked out by the reader) */
  readonly cell: number;
  /** a cell the reader does not know: withheld, or a total no table prints (free to move, at no cost) */
  readonly unknown: (cell: number) => boolean;
  /** the cost of withholding a shown cell, or null when it cannot be withheld (a count the reader knows otherwise, a flow of 0) */
  readonly weight: (cell: number) => number | null;
  /** cells outside are taken as they are (d = 0 there): a smaller program, and a set near the cell */
  readonly within?: (cell: number) => boolean;
}

/** Coefficients below this are taken as 0 (the solver's feasibility tolerance is 1e-7). */
const ZERO = 1e-6;

/**
 * The shown cells to withhold so that `cell` is hidden (lowest first), or null when no set of cells within reach hides
 * it (every change that moves it moves a count the reader knows). Empty when the cell is hidden already.
 *
 * Example: sums [[0, 1], [1, 1], [4, −1]] and [[2, 1], [3, 1], [4, −1]] (x0 + x1 = x4 = x2 + x3), cell 0 withheld, the
 * others shown with weight 1 → [1]: x1 withheld, x0 + x1 is all a reader knows of them.
 */
export function hidingSet(problem: HidingProblem, solve: LinearProgramSolver): number[] | null {
  const within = problem.within ?? (() => true);
  const moves = (i: number) => i === problem.cell || (within(i) && (problem.unknown(i) || problem.weight(i) !== null));
  const rows: string[] = [];
  const costs = new Map<number, number>();
  const free = new Set<number>();
  for (const sum of problem.sums) {
    let constant = 0;
    const terms: string[] = [];
    for (const [i, a] of sum) {
      if (!moves(i)) continue;
      if (i === problem.cell) {
        constant -= a;
        continue;
      }
      const sign = a >= 0 ? '+' : '-';
      if (problem.unknown(i)) {
        free.add(i);
        terms.push(`${sign} ${Math.abs(a)} u${i}`);
      } else {
        costs.set(i, problem.weight(i)!);
        terms.push(`${sign} ${Math.abs(a)} p${i} ${a >= 0 ? '-' : '+'} ${Math.abs(a)} n${i}`);
      }
    }
    if (terms.length === 0) {
      // a sum that holds the cell and nothing else that may move gives it away whatever is withheld
      if (Math.abs(constant) > ZERO) return null;
      continue;
    }
    rows.push(` r${rows.length}: ${terms.join(' ')} = ${constant}`);
  }
  // no sum holds the cell with anything that may move: it is in none (hidden), else it was given away above
  if (rows.length === 0) return [];
  // the objective needs a term: a free cell at cost 0 stands in when no shown cell may move
  const objective = costs.size > 0 ? [...costs].map(([i, w]) => `+ ${w} p${i} + ${w} n${i}`).join(' ') : `+ 0 u${[...free][0]}`;
  const program = ['Minimize', ` obj: ${objective}`, 'Subject To', ...rows, 'Bounds', ...[...free].map((i) => ` u${i} free`), 'End'].join('\n');
  const values = solve(program);
  if (values === null) return null;
  return [...costs.keys()].filter((i) => Math.abs((values.get(`p${i}`) ?? 0) - (values.get(`n${i}`) ?? 0)) > ZERO).sort((x, y) => x - y);
}
