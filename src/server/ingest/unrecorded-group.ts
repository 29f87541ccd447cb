/**
 * A group of API batches the ingest queue left in the write-ahead log, unrecorded in `ingest_batches`, after every try
 * to record it failed (ingest-queue.ts `#leave`): the queue goes on with the batches behind it, and the group waits in
 * the log for the next start of the server, which records a group whose load committed from that load
 * (`#recoverCommittedGroups`: its lines are not loaded again) and applies the others. Reported in the server log and
 * by `GET /api/ingest/status` (`unrecordedGroups`), with what happened and how it is settled.
 */
import type { WalBatch } from './wal-records.js';
import { errorMessage } from '../../core/errors/error-message.js';

export interface UnrecordedGroup {
  /** the group's file, and the `ingests.source` of its load */
  readonly source: string;
  readonly firstBatch: string;
  readonly lastBatch: string;
  readonly batches: number;
  readonly records: number;
  /** the tries made */
  readonly attempts: number;
  /** what happened, and how it is settled */
  readonly status: string;
}

/**
 * Why a group was left: `loaded` — its load committed, its recording failed; `unknown` — the warehouse did not answer
 * whether its load committed (the server stopping meanwhile); `notSetAside` — it could not be applied, and setting it
 * aside failed too.
 */
export type LeftBecause = { why: 'loaded' | 'unknown'; error: unknown } | { why: 'notSetAside'; error: unknown; applyError: unknown };

/** The report of a group left in the log (see the file header). */
export function unrecordedGroup(group: readonly WalBatch[], source: string, attempts: number, because: LeftBecause): UnrecordedGroup {
  const message = (e: unknown) => errorMessage(e).split('\n')[0]!;
  let status: string;
  if (because.why === 'notSetAside') {
    status = `not applied (${message(because.applyError)}) and setting it aside failed: ${message(because.error)}; kept in the write-ahead log, the next start of the server applies it again`;
  } else if (because.why === 'loaded') {
    status = `loaded into the warehouse (ingest ${source}), its batches not recorded: ${message(because.error)}; kept in the write-ahead log, the next start of the server records them from that load`;
  } else {
    status = `not known whether it was loaded (the warehouse did not answer: ${message(because.error)}); kept in the write-ahead log, the next start of the server records it from its load if that committed, else applies it`;
  }
  return { source, firstBatch: group[0]!.id, lastBatch: group.at(-1)!.id, batches: group.length, records: group.reduce((n, b) => n + b.records, 0), attempts, status };
}
