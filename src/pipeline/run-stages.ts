import type { Stage } from './stage.js';

/** Progress of a run: a stage starts, a stage ends (with its wall time and a one-line detail). */
export interface ProgressEvent {
  readonly step: string;
  readonly phase: 'start' | 'end';
  readonly detail?: string;
  readonly elapsedMs?: number;
}

export interface RunStagesOptions {
  /** wall time per stage name, in ms; filled as the stages end */
  readonly timings: Record<string, number>;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** filled with the tables written by the stages that ran, as each ends */
  readonly written?: Set<string>;
}

/**
 * Run stages in order on one context: each stage that is not skipped reports
 * a start and an end event and its wall time lands in `timings[stage.name]`.
 * A stage that reads a table no earlier stage wrote and that is not among
 * `available` is a wiring bug and fails before anything runs.
 *
 * Example: `await runStages([summaryStage, valueStage], context, { timings, onProgress })`
 */
export async function runStages<C>(stages: readonly Stage<C>[], context: C, options: RunStagesOptions, available: readonly string[] = ['transactions', 'customers', 'quarantine']): Promise<void> {
  const written = new Set(available);
  for (const stage of stages) {
    const missing = stage.reads.filter((table) => !written.has(table));
    if (missing.length > 0) throw new Error(`stage ${stage.name} reads ${missing.join(', ')}, which no earlier stage writes`);
    for (const table of stage.writes) written.add(table);
  }
  for (const stage of stages) {
    if (stage.skip?.(context)) continue;
    const started = Date.now();
    options.onProgress?.({ step: stage.name, phase: 'start' });
    const detail = await stage.run(context);
    options.timings[stage.name] = Date.now() - started;
    for (const table of stage.wrote?.(context) ?? stage.writes) options.written?.add(table);
    options.onProgress?.({ step: stage.name, phase: 'end', elapsedMs: options.timings[stage.name], ...(typeof detail === 'string' ? { detail } : {}) });
  }
}
