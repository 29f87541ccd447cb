/**
 * The run's scratch folder (test/setup/shared-fixtures.ts) is on /dev/shm when the machine has one with room, so the
 * tests' DuckDB files are checkpointed to memory, not disk; else in the system's temp folder, or CLVKIT_TEST_TMPDIR.
 */
import { realpathSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchBase } from './shared-fixtures.js';

/** CLVKIT_TEST_TMPDIR unset while `check` runs */
function withoutOverride(check: () => void): void {
  const saved = process.env.CLVKIT_TEST_TMPDIR;
  delete process.env.CLVKIT_TEST_TMPDIR;
  try {
    check();
  } finally {
    if (saved !== undefined) process.env.CLVKIT_TEST_TMPDIR = saved;
  }
}

describe('the test run’s scratch folder', () => {
  it('is the temp folder of the tests, in the folder scratchBase chose', () => {
    const run = process.env.CLVKIT_TEST_RUN_DIR!;
    expect(run).toMatch(/clvkit-test-run-/);
    expect(realpathSync(tmpdir())).toBe(realpathSync(run));
    if (process.env.CLVKIT_TEST_TMPDIR) expect(dirname(run)).toBe(process.env.CLVKIT_TEST_TMPDIR);
    else withoutOverride(() => (scratchBase() === '/dev/shm' ? expect(dirname(run)).toBe('/dev/shm') : expect(dirname(run)).not.toBe('/dev/shm')));
  });

  it('goes to the memory folder when it is writable with the room asked for, else to the temp folder', () => {
    withoutOverride(() => {
      const here = process.env.CLVKIT_TEST_RUN_DIR!;
      const fs = statfsSync(here);
      const free = fs.bavail * fs.bsize;
      expect(scratchBase(here, free)).toBe(here);
      expect(scratchBase(here, free * 2 + 1024 ** 3)).toBe(tmpdir()); // not enough room
      expect(scratchBase(join(here, 'no-such-folder'), 1)).toBe(tmpdir());
    });
  });

  it('is CLVKIT_TEST_TMPDIR when that is set', () => {
    const saved = process.env.CLVKIT_TEST_TMPDIR;
    process.env.CLVKIT_TEST_TMPDIR = '/somewhere/else';
    try {
      expect(scratchBase()).toBe('/somewhere/else');
    } finally {
      if (saved === undefined) delete process.env.CLVKIT_TEST_TMPDIR;
      else process.env.CLVKIT_TEST_TMPDIR = saved;
    }
  });
});
