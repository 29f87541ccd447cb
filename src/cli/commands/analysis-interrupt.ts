import type { StorageEvent } from '../../pipeline/stored-analysis.js';
import type { CliIo } from '../cli-io.js';
import { stopLines } from '../quiet-option.js';

/** What an analysis run has done so far, as the line said on Ctrl-C needs it. */
export interface AnalysisRunState {
  /** the warehouse as the line names it (`shop.duckdb`, `the cluster's database clvkit`); null for a run in memory */
  readonly warehouse: string | null;
  /** the flags that name the warehouse in the hint's command (`--db shop.duckdb`) */
  readonly flags: string;
  /** the run ingests files first */
  readonly ingests: boolean;
  /** the output folder */
  readonly outDir: string;
  /** the stage that started last (null before the first) */
  step: string | null;
  /** where the run's analysis stands (null before its stages start) */
  storage: StorageEvent | null;
}

/**
 * The one line `clvkit analyze` says when it is interrupted: that it did not
 * finish, and what the warehouse holds — its previous analysis, unchanged
 * (an analysis is stored whole or not at all: staged-analysis.ts), or, after
 * the swap, this run's.
 *
 * Example: `interruptedAnalysisLine({ warehouse: 'shop.duckdb', flags: '--db shop.duckdb', ingests: false, outDir: 'out', step: 'segments', storage: { phase: 'staged', previous: { asOf: '2011-12-09', storedAt: null, tables: [] } } })`
 * → `clvkit: analyze interrupted: shop.duckdb keeps its previous analysis (as of 2011-12-09), unchanged; this run stored nothing (hint: run clvkit analyze --db shop.duckdb again)`
 */
export function interruptedAnalysisLine(state: AnalysisRunState): string {
  const { storage } = state;
  if (state.warehouse === null) return `clvkit: analyze interrupted: nothing was kept (the warehouse was in memory), and ${state.outDir} has no run.json`;
  // before the first stage (loading the stages, making a key file): no file was read, no table written
  if (state.step === null && storage === null) return `clvkit: analyze interrupted before its first stage: nothing was read or stored, ${state.warehouse} is as it was (hint: run the same clvkit analyze command again)`;
  if (storage?.phase === 'stored') {
    return `clvkit: analyze interrupted after storing its analysis: ${state.warehouse} holds this run's analysis${storage.analysis.asOf ? ` (as of ${storage.analysis.asOf})` : ''}, but ${state.outDir} may lack run.json`;
  }
  const previous = storage?.phase === 'staged' ? storage.previous : undefined;
  const held =
    previous === undefined
      ? `${state.warehouse} keeps the analysis it held, unchanged`
      : previous === null
        ? `${state.warehouse} holds no analysis yet`
        : `${state.warehouse} keeps its previous analysis${previous.asOf ? ` (as of ${previous.asOf})` : ''}, unchanged`;
  const ran = !state.ingests
    ? 'this run stored nothing'
    : state.step === null || state.step === 'ingest'
      ? 'of this run’s files, those ingested in full before the interrupt are stored (each file whole or not at all), its analysis is not'
      : 'this run’s files are ingested, its analysis is not stored';
  const again = state.ingests ? 'run the same clvkit analyze command again: a file ingested before adds nothing' : `run clvkit analyze ${state.flags} again`;
  return `clvkit: analyze interrupted: ${held}; ${ran} (hint: ${again})`;
}

/** How `clvkit analyze` hears Ctrl-C (`stopWhenInterrupted`). */
export interface AnalysisInterrupts {
  /** aborted by the first Ctrl-C (SIGINT) or SIGTERM: the run stops at its next statement and drops what it staged */
  readonly signal: AbortSignal;
  /**
   * After the run failed: when a signal stopped it, `line()` on stderr and the process ends by that signal, as it
   * would have without the handler (the promise then never settles); otherwise nothing.
   */
  endIfStopped(): Promise<void>;
  /** stop listening (the run ended) */
  remove(): void;
}

/**
 * Until `remove` is called, the first Ctrl-C (SIGINT) or SIGTERM stops the
 * run cleanly: `before` (which stops a progress bar), a note that it is
 * stopping, and `signal` aborted — the run ends at its next statement and
 * drops the tables it staged (staged-analysis.ts); then `endIfStopped` says
 * `line()` and ends the process by that signal. A second one ends it at
 * once, with the line (what it staged is then dropped by the next run).
 */
export function stopWhenInterrupted(io: CliIo, line: () => string, before: () => void = () => undefined): AnalysisInterrupts {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const remove = () => {
    for (const signal of signals) process.removeListener(signal, handlers[signal]);
  };
  const endBy = (signal: NodeJS.Signals) => {
    remove();
    before();
    stopLines(io).write(`${line()}\n`);
    process.kill(process.pid, signal); // no handler left: the process ends by the signal
  };
  const handle = (signal: NodeJS.Signals) => {
    if (stoppedBy !== null) return endBy(signal);
    stoppedBy = signal;
    before();
    stopLines(io).write('clvkit: stopping the analysis at its next statement and dropping the tables it staged (Ctrl-C again to end at once)\n');
    controller.abort();
  };
  const handlers = { SIGINT: () => handle('SIGINT'), SIGTERM: () => handle('SIGTERM') };
  for (const signal of signals) process.on(signal, handlers[signal]);
  return {
    signal: controller.signal,
    async endIfStopped() {
      if (stoppedBy === null) return;
      endBy(stoppedBy);
      await new Promise<never>(() => undefined); // the signal ends the process: nothing after it runs
    },
    remove,
  };
}
