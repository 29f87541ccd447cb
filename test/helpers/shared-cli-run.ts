import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cli } from './cli.js';
import { sharedFixture } from './shared-fixture.js';

/**
 * `clvkit <args>` run in this process once per test run and key (test/helpers/shared-fixture.ts) for every test file
 * that asks for the same command: its exit code and what it printed. For a command that reads its inputs and writes
 * nothing (validate of a fixture file): two files asserting different lines of the same output each ran it before.
 */
export async function sharedCliRun(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const name = createHash('sha256').update(JSON.stringify([process.env.CLVKIT_KEY ?? '', args])).digest('hex').slice(0, 16);
  const file = await sharedFixture(`cli-run-${name}.json`, async (building) => {
    writeFileSync(building, JSON.stringify(await cli([...args])));
  });
  return JSON.parse(readFileSync(file, 'utf8')) as { code: number; stdout: string; stderr: string };
}
