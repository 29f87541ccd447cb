/**
 * An --out folder that cannot be made although its parent exists and may be written (a QA trial: `analyze --demo --out
 * /proc/nope`): Node's `mkdir(path, { recursive: true })` loops for ever there (mkdir /proc/nope → ENOENT, mkdir /proc →
 * EEXIST, again), at 100% CPU. clvkit makes the folders one at a time (src/core/make-folders.ts) and refuses in one line,
 * exit 2. A regression is a synchronous loop that no in-process test timeout can stop: each command runs in a child
 * process, killed after a deadline. Linux only (/proc).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUN_CLI = fileURLToPath(new URL('../../src/cli/run-cli.ts', import.meta.url));
const FOLDER = '/proc/clvkit-no-such-folder';

/** `clvkit <args>` in a child process, killed after 30 s: its exit code (null when killed) and stderr. */
function cliInChild(args: string[]): { code: number | null; stderr: string } {
  const driver = `
const { runCli } = await import(${JSON.stringify(RUN_CLI)});
const err = [];
const io = { stdout: { write: () => true }, stderr: { write: (s) => err.push(s), isTTY: false } };
const code = await runCli(${JSON.stringify(args)}, io);
process.stderr.write(err.join(''));
process.exit(code);
`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', driver], { encoding: 'utf8', cwd: ROOT, timeout: 30_000, killSignal: 'SIGKILL' });
  return { code: run.status, stderr: run.stderr };
}

describe.skipIf(!existsSync('/proc/self'))('an --out folder under /proc (exists, cannot take a new folder)', () => {
  const line = `clvkit: error: cannot create --out ${FOLDER}: /proc does not take new folders (hint: choose an --out folder on an ordinary disk, e.g. --out out/)\n`;

  it('analyze --demo --out is refused in one line, exit 2 (was an endless mkdir loop)', () => {
    const run = cliInChild(['analyze', '--demo', '--out', FOLDER, '--quiet']);
    expect(run.stderr).toBe(line);
    expect(run.code).toBe(2);
  }, 60_000);

  it('synth --out is refused in one line, exit 2 (was an endless mkdir loop)', () => {
    const run = cliInChild(['synth', '--customers', '10', '--out', FOLDER]);
    expect(run.stderr).toBe(line);
    expect(run.code).toBe(2);
  }, 60_000);
});
