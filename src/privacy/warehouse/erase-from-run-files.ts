/**
 * Erasure reaches the files of the server's runs: `clvkit serve --db W`
 * writes each analysis run's customers.csv and recommendations.csv under
 * `W.runs/<run id>/` (run-jobs.ts). Those files hold customer tokens and
 * scores — never contact details or original ids (the server exports
 * neither) — and a user trial found an erased customer's token still there.
 * Files clvkit keeps beside its own warehouse are erased with it; copies a
 * user made elsewhere (an `--out` folder, a backup) are not clvkit's to find.
 *
 * Each CSV whose first column is `customer_id` loses the lines of the erased
 * tokens; it is rewritten beside itself and renamed over the old file, so a
 * crash leaves the old file or the new one, never half of one. Rewrites of
 * one file take turns (`<file>.lock`, made exclusively, holding the writer's
 * pid; in one process, a queue per file): a server's run removing customers
 * erased while it went on and `clvkit erase` beside it, or two erasures,
 * each read the file and renamed their copy over it, so the last rename won
 * and put back lines the other had removed. An analysis writing the file
 * holds the same turn (`whileWritingRunFile`): an erasure does not read it
 * half written. A lock whose process is gone is taken over; one held for
 * over ten minutes by a live process fails the rewrite with one line naming
 * it. A token is
 * `c_` and 26 base32 characters: written unquoted, so the first field of a
 * line is read up to its first comma.
 */
import { createReadStream, createWriteStream, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { statOrUndefined } from '../../core/errors/file-system-error.js';
import { UserError } from '../../core/errors/user-error.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isOtherLiveProcess } from '../../core/live-process.js';

export interface RunFilesErasure {
  /** the runs folder searched, null when the warehouse has none */
  readonly folder: string | null;
  /** files searched (customers.csv and recommendations.csv of every run) */
  readonly filesSearched: number;
  /** files that held an erased token and were rewritten */
  readonly filesRewritten: number;
  /** lines removed */
  readonly lines: number;
}

const RUN_FILES = ['customers.csv', 'recommendations.csv'];

/** Where `clvkit serve --db <db>` writes its runs' files: `<db>.runs/` beside the warehouse file (absolute). */
export function runFilesFolder(db: string): string {
  return `${resolve(db)}.runs`;
}

/** Removes the lines of `tokens` from the customer files of every run of the warehouse `db` (see the file header). */
export async function eraseFromRunFiles(db: string, tokens: readonly string[]): Promise<RunFilesErasure> {
  const folder = runFilesFolder(db);
  if (statOrUndefined(folder)?.isDirectory() !== true) return { folder: null, filesSearched: 0, filesRewritten: 0, lines: 0 };
  const erased = new Set(tokens);
  let filesSearched = 0, filesRewritten = 0, lines = 0;
  for (const run of readdirSync(folder, { withFileTypes: true })) {
    if (!run.isDirectory()) continue;
    for (const name of RUN_FILES) {
      const removed = await eraseFromRunFile(join(folder, run.name, name), erased);
      if (removed === null) continue;
      filesSearched++;
      if (removed.lines > 0) filesRewritten++;
      lines += removed.lines;
    }
  }
  return { folder, filesSearched, filesRewritten, lines };
}

/** What `eraseFromRunFile` removed from one file. */
export interface RunFileErasure {
  /** lines removed */
  readonly lines: number;
  /** the tokens whose lines they were */
  readonly tokens: ReadonlySet<string>;
}

/**
 * Removes the lines of `tokens` from one customer file of a run (customers.csv, recommendations.csv: see the file
 * header), rewritten beside itself and renamed over it with its mode kept; null when there is no such file. What
 * `eraseFromRunFiles` does to each run's files, and an analysis to its own files when a customer was erased while it
 * ran (erased-during-run.ts).
 *
 * Example: `await eraseFromRunFile('out/customers.csv', new Set(['c_…']))` → `{ lines: 1, tokens: Set { 'c_…' } }`
 */
export async function eraseFromRunFile(file: string, tokens: ReadonlySet<string>): Promise<RunFileErasure | null> {
  if (!statOrUndefined(file)) return null;
  return inTurn(resolve(file), async () => {
    const stat = statOrUndefined(file); // read once the turn came: a rewrite before may have replaced it
    if (!stat) return null;
    const removed = new Set<string>();
    return { lines: await rewriteWithout(file, stat.mode & 0o777, tokens, removed), tokens: removed };
  });
}

/**
 * Runs `work` (an analysis writing a run's customers.csv or recommendations.csv) holding the file's turn, as a
 * rewrite does: an erasure beside it waits until the file is whole, instead of reading half of it and renaming that
 * over the file.
 *
 * Example: `await whileWritingRunFile('out/customers.csv', () => warehouse.exportCsv(sql, 'out/customers.csv'))`
 */
export function whileWritingRunFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  return inTurn(resolve(file), work);
}

/** The rewrites of each file (by absolute path) in this process: each starts once the one before it ended. */
const TURNS = new Map<string, Promise<void>>();

/** Runs `work` once this process's earlier rewrites of `file` ended and it holds the file's lock (see the file header). */
function inTurn<T>(file: string, work: () => Promise<T>): Promise<T> {
  const turn = (TURNS.get(file) ?? Promise.resolve()).then(() => withLockFile(file, work));
  const ended = turn.then(
    () => undefined,
    () => undefined,
  );
  TURNS.set(file, ended);
  void ended.then(() => {
    if (TURNS.get(file) === ended) TURNS.delete(file);
  });
  return turn;
}

/** How long a rewrite waits for another process's lock on the file before it fails (a run writing a large file holds it). */
export const RUN_FILE_LOCK_WAIT_MS = 10 * 60_000;

async function withLockFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const started = Date.now();
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' }); // made only if there is none: one holder at a time
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lock);
    if (holder === 'gone') {
      // its process is gone (killed mid-rewrite): taken over. Two takers at the same instant could both remove it
      // and one remove the other's new lock — a crash's lock met by two rewrites within microseconds; left as is
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() - started > RUN_FILE_LOCK_WAIT_MS) {
      throw new UserError(`${file} is being written by process ${holder} (its lock ${lock} was held for over ${RUN_FILE_LOCK_WAIT_MS / 60_000} minutes)`, `wait for that clvkit process, or, if it is not a clvkit process, remove ${lock} and erase again`);
    }
    await sleep(delay);
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The pid holding `lock`, or 'gone' when that process no longer runs (or it is this one's: its turns are queued above). */
function lockHolder(lock: string): number | 'unknown' | 'gone' {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch {
    return 'unknown'; // let go meanwhile: the next try takes it
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) {
    // made but not written yet (the holder is between open and write), or written by something else: gone after 10 s
    const age = Date.now() - (statOrUndefined(lock)?.mtimeMs ?? Date.now());
    return age > 10_000 ? 'gone' : 'unknown';
  }
  // this process's own pid: left by a rewrite of this process that failed to remove it
  return isOtherLiveProcess(pid) ? pid : 'gone';
}

/** Rewrites `file` (kept with `mode`) without the lines whose first field is in `erased` (added to `removed`); the number removed (0: the file is left as it was). */
async function rewriteWithout(file: string, mode: number, erased: ReadonlySet<string>, removedTokens: Set<string>): Promise<number> {
  const scratch = `${file}.erasing-${process.pid}`; // one rewrite of the file at a time (inTurn)
  const out = createWriteStream(scratch, { mode });
  let removed = 0, header = true, keyed = false;
  try {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      const first = line.slice(0, line.indexOf(',') < 0 ? line.length : line.indexOf(','));
      if (header) {
        header = false;
        keyed = first === 'customer_id';
      } else if (keyed && erased.has(first)) {
        removed++;
        removedTokens.add(first);
        continue;
      }
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    rmSync(scratch, { force: true });
    throw error;
  }
  if (removed === 0) rmSync(scratch, { force: true });
  else renameSync(scratch, file);
  return removed;
}
