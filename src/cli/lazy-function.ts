/**
 * An async function of another module that is imported on the first call,
 * not when the CLI starts: `clvkit --help` and every command's `--help` load
 * commander and the command definitions only, never DuckDB, ExcelJS, ECharts
 * or the analysis modules behind them (test/cli/cli-start-up.test.ts guards
 * it). Command modules bind their heavy imports this way, beside their
 * static imports:
 *
 * @example
 * import type { RunSummary } from '../../pipeline/analyze.js';
 * const analyze = lazyFunction(() => import('../../pipeline/analyze.js'), 'analyze');
 * // analyze has the exact type of the original; the module loads at the first await analyze(...)
 *
 * Only functions that return a promise can be bound (a caller already awaits
 * them, so the import fits inside that wait); the type parameter rejects others.
 */
type AsyncKeys<M> = { [K in keyof M]: M[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof M];

export function lazyFunction<M, K extends AsyncKeys<M>>(load: () => Promise<M>, name: K): M[K] {
  let loading: Promise<M> | undefined;
  const call = async (...args: unknown[]) => {
    const module = await (loading ??= load());
    return (module[name] as (...args: unknown[]) => Promise<unknown>)(...args);
  };
  return call as M[K];
}
