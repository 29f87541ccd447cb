/**
 * vitest globalSetup: one scratch folder per test run, removed when the run
 * ends, which is also the run's temp folder (TMPDIR, inherited by the test
 * workers and the processes they start): whatever a test or the code under
 * test makes with `os.tmpdir()` and does not remove itself goes with it,
 * instead of staying in the system's temp folder (~500 folders per run,
 * some of 67 MB, before this). In it, the folder of fixtures that several
 * test files share (the demo data ingested once: test/helpers/demo-warehouse.ts).
 * Nothing is built here: the first test file that needs a fixture builds it
 * (so a targeted run pays only for what it uses).
 */
import { accessSync, constants, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the run's folder of shared fixtures */
    sharedFixturesDir: string;
  }
}

/** Free space a memory-backed folder must have to hold a run's scratch folder (a container's default /dev/shm of 64 MiB would fill). */
const TMPFS_FREE_BYTES = 4 * 1024 ** 3;

/**
 * Where the run's scratch folder goes: /dev/shm when the machine has one with 4 GiB free, else the system's temp folder.
 * On tmpfs DuckDB's checkpoints and WAL syncs cost no disk wait: test/cli and test/pipeline (78 files) took 139 s
 * instead of 150 s, 260 instead of 276 CPU s (the ClickHouse cluster of .ci/run goes there for the same reason).
 * CLVKIT_TEST_TMPDIR names another folder (e.g. the system's, to run the tests against a disk).
 */
export function scratchBase(memoryFolder = '/dev/shm', freeBytes = TMPFS_FREE_BYTES): string {
  if (process.env.CLVKIT_TEST_TMPDIR) return process.env.CLVKIT_TEST_TMPDIR;
  try {
    accessSync(memoryFolder, constants.W_OK);
    const fs = statfsSync(memoryFolder);
    if (fs.bavail * fs.bsize >= freeBytes) return memoryFolder;
  } catch {
    // no /dev/shm here, or not writable
  }
  return tmpdir();
}

/**
 * Each project of vitest.config.ts runs this setup (a module instance each): the first makes the run's folder and
 * names it in CLVKIT_TEST_RUN_DIR, the others use it; the first removes it (teardowns run when every project is done).
 */
export default function setup(project: TestProject): () => void {
  const made = !process.env.CLVKIT_TEST_RUN_DIR;
  const previousTmpdir = process.env.TMPDIR;
  if (made) {
    process.env.CLVKIT_TEST_RUN_DIR = mkdtempSync(join(scratchBase(), 'clvkit-test-run-'));
    process.env.TMPDIR = process.env.CLVKIT_TEST_RUN_DIR;
  }
  const run = process.env.CLVKIT_TEST_RUN_DIR!;
  const shared = mkdtempSync(join(run, 'shared-fixtures-'));
  project.provide('sharedFixturesDir', shared);
  return () => {
    if (!made) return;
    delete process.env.CLVKIT_TEST_RUN_DIR;
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    rmSync(run, { recursive: true, force: true });
  };
}
