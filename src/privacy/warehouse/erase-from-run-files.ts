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
 * crash leaves the old file or the new one, never half of one. A token is
 * `c_` and 26 base32 characters: written unquoted, so the first field of a
 * line is read up to its first comma.
 */
import { createReadStream, createWriteStream, readdirSync, renameSync, rmSync } from 'node:fs';
import { statOrUndefined } from '../../core/errors/file-system-error.js';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

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
  const stat = statOrUndefined(file);
  if (!stat) return null;
  const removed = new Set<string>();
  return { lines: await rewriteWithout(file, stat.mode & 0o777, tokens, removed), tokens: removed };
}

/** Rewrites `file` (kept with `mode`) without the lines whose first field is in `erased` (added to `removed`); the number removed (0: the file is left as it was). */
async function rewriteWithout(file: string, mode: number, erased: ReadonlySet<string>, removedTokens: Set<string>): Promise<number> {
  const scratch = `${file}.erasing-${process.pid}`;
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
