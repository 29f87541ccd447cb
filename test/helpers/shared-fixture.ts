/**
 * A fixture built once per test run and shared by every test file that asks for it (in any worker): the first caller
 * builds it in the run's shared folder (test/setup/shared-fixtures.ts) under a lock (a folder made atomically); the
 * others wait for the finished path. A build that fails is recorded, and the waiting callers fail with its error.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

const WAIT_MS = 15 * 60_000;

/**
 * The path of the shared fixture `name` (a file or a folder), built by `build(path)` on first use: `build` writes
 * `path` itself (a scratch path renamed to the final one when it returns, so that nobody reads a half-built fixture).
 *
 * Example: `const file = await sharedFixture('demo.duckdb', async (path) => { …ingest into path… })`
 */
export async function sharedFixture(name: string, build: (path: string) => Promise<void>): Promise<string> {
  const dir = inject('sharedFixturesDir');
  const path = join(dir, name);
  const failed = join(dir, `${name}.failed`);
  let builder = false;
  try {
    mkdirSync(join(dir, `${name}.lock`));
    builder = true;
  } catch {
    // another test file builds it
  }
  if (builder) {
    const building = join(dir, `${name}.building`);
    try {
      await build(building);
      renameSync(building, path);
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    }
    return path;
  }
  const started = Date.now();
  while (!existsSync(path)) {
    if (existsSync(failed)) throw new Error(`the shared fixture ${name} could not be built: ${readFileSync(failed, 'utf8')}`);
    if (Date.now() - started > WAIT_MS) throw new Error(`the shared fixture ${name} was not built within ${WAIT_MS / 60_000} minutes (${dir})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return path;
}
