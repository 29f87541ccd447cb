/**
 * Next-purchase rules mined on a worker thread: PrefixSpan (the step's
 * largest single cost on shops with long order histories) needs only the
 * order sequences and item names, so it runs beside the rest of the
 * cross-sell step (FP-growth, the recommender's time split in SQL and its
 * backtest) instead of before it. Same function, same data: the rules are
 * those of `mineSequenceRules` on the calling thread. Small shops mine inline
 * (a thread's start-up would cost more than it saves).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../core/errors/user-error.js';
import type { PatternOptions } from './pattern-options.js';
import { mineSequenceRules, type SequenceRules, type SequenceRulesInput } from './mine-sequence-rules.js';

/** Fewer purchase lines than this: mined on the calling thread. */
export const SEQUENCE_THREAD_MIN_LINES = 50_000;

/** What the worker receives. */
export interface SequenceRulesJob {
  readonly data: SequenceRulesInput;
  readonly options: PatternOptions;
}

/** What the worker answers: the rules, or the error it met (a UserError keeps its hint). */
export type SequenceRulesReply = { readonly rules: SequenceRules } | { readonly error: { readonly message: string; readonly hint?: string; readonly user: boolean; readonly stack?: string } };

export interface SequenceRulesAside {
  readonly result: Promise<SequenceRules>;
  /** stops the worker when its result is no longer wanted (the step failed) */
  cancel(): void;
}

/** Starts mining next-purchase rules (on a worker thread when the data is large enough, or `thread` says so). */
export function mineSequenceRulesAside(data: SequenceRulesInput, options: PatternOptions, thread = data.sequences.items.length >= SEQUENCE_THREAD_MIN_LINES): SequenceRulesAside {
  if (!thread) {
    let result: Promise<SequenceRules>;
    try {
      result = Promise.resolve(mineSequenceRules(data, options));
    } catch (error) {
      result = Promise.reject(error);
    }
    result.catch(() => {}); // awaited by the caller; not an unhandled rejection while the step does other work
    return { result, cancel: () => {} };
  }
  const job: SequenceRulesJob = { data: { sequences: data.sequences, itemCodes: data.itemCodes, itemLabels: data.itemLabels }, options };
  const worker = startWorker(job);
  const result = new Promise<SequenceRules>((resolve, reject) => {
    worker.once('message', (reply: SequenceRulesReply) => {
      if ('rules' in reply) resolve(reply.rules);
      else {
        const error = reply.error.user ? new UserError(reply.error.message, reply.error.hint) : new Error(reply.error.message);
        if (!reply.error.user && reply.error.stack) error.stack = reply.error.stack;
        reject(error);
      }
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the next-purchase rule thread stopped (exit code ${code}) before it answered`)));
  });
  result.catch(() => {});
  return { result, cancel: () => void worker.terminate() };
}

/** The worker: its compiled file beside this one, or (run from the TypeScript sources: tests, tsx) the source through tsx's loader. */
function startWorker(job: SequenceRulesJob): Worker {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./sequence-rules-worker.js', here), { workerData: job });
  const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const source = new URL('./sequence-rules-worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData: job });
}
