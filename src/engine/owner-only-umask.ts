import { isMainThread } from 'node:worker_threads';

/**
 * Calls of a DuckDB file warehouse under way (`holdOwnerOnlyUmask`: the umask is narrowed while there are any) and the
 * umask before the first of them narrowed it (given back when the last ends). Kept on the process's global object under
 * a registered symbol, not in this module: a process that loads clvkit twice (its sources and its build, two copies
 * in one program) has one count, so one copy's release never widens the umask under the other's call.
 */
const state: { held: number; before: number } = ((globalThis as Record<symbol, unknown>)[Symbol.for('clvkit.ownerOnlyUmask')] ??= { held: 0, before: 0 }) as { held: number; before: number };

/**
 * Narrows the process's umask so that files made from now on are their
 * owner's only (`umask | 077`), until the answer is called; calls may overlap
 * (the umask is the caller's again when the last ends). DuckDB makes the
 * write-ahead log `<db>.wal` beside a warehouse file with the process's
 * umask when a commit first writes to it, and makes it anew after every
 * checkpoint removed it: a DuckDB file warehouse holds this around each of
 * its calls (`withOwnerOnlyUmask`), so that the log, which holds the rows of
 * the latest commits, is 0600 from the moment it exists, whatever the umask.
 * What the process writes meanwhile on the same thread (between the awaits
 * of a call) is made owner-only too: never less private. The umask is the
 * process's: a worker thread cannot set it (Node refuses), so there this
 * does nothing, and the thread that sends the worker its calls holds it
 * (`openWarehouseThread`).
 *
 * Example: `const release = holdOwnerOnlyUmask(); try { … } finally { release(); }`
 */
export function holdOwnerOnlyUmask(): () => void {
  if (!isMainThread) return () => undefined;
  if (state.held === 0) {
    state.before = process.umask(0o077); // answers the umask it replaces (a call without one is deprecated)
    process.umask(state.before | 0o077);
  }
  state.held++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    state.held--;
    if (state.held === 0) process.umask(state.before);
  };
}

/** Runs `work` with the umask narrowed to owner-only (`holdOwnerOnlyUmask`), given back when it settles. */
export async function withOwnerOnlyUmask<T>(work: () => Promise<T>): Promise<T> {
  const release = holdOwnerOnlyUmask();
  try {
    return await work();
  } finally {
    release();
  }
}
