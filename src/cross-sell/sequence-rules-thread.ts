/**
 * Next-purchase rules mined on a worker thread: PrefixSpan (the step's
 * largest single cost on shops with long order histories) needs only the
 * order sequences and item names, so it runs beside the rest of the
 * cross-sell step (FP-growth, the recommender's time split in SQL and its
 * backtest) instead of before it. Same function, same data: the rules are
 * those of `mineSequenceRules` on the calling thread. Small shops mine inline
 * (a thread's start-up would cost more than it saves).
 */
import { startModuleWorker } from '../core/start-module-worker.js';
import { receivedError, type SentError } from '../core/errors/thread-errors.js';
import type { PatternOptions } from './pattern-options.js';
import { mineSequenceRules, type SequenceRules, type SequenceRulesInput } from './mine-sequence-rules.js';

/** Fewer purchase lines than this: mined on the calling thread. */
export const SEQUENCE_THREAD_MIN_LINES = 50_000;

/** What the worker receives. */
export interface SequenceRulesJob {
  readonly data: SequenceRulesInput;
  readonly options: PatternOptions;
}

/** What the worker answers: the rules, or the error it met (a UserError keeps its hint: thread-errors.ts). */
export type SequenceRulesReply = { readonly rules: SequenceRules } | { readonly error: SentError };

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
  const worker = startModuleWorker(import.meta.url, 'sequence-rules-worker', job);
  const result = new Promise<SequenceRules>((resolve, reject) => {
    worker.once('message', (reply: SequenceRulesReply) => {
      if ('rules' in reply) resolve(reply.rules);
      else reject(receivedError(reply.error, 'the next-purchase rule thread'));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the next-purchase rule thread stopped (exit code ${code}) before it answered`)));
  });
  result.catch(() => {});
  return { result, cancel: () => void worker.terminate() };
}

