import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

/** A CliIo that keeps what a command writes (stderr is not a terminal: plain progress lines). */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: false } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** Runs `clvkit <args>` in this process: exit code and what it printed. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = captureIo();
  const code = await runCli(args, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

/**
 * Sets the environment variable `name` to `value` for the calling `describe` block (`beforeAll`) and puts back what it
 * was after (`afterAll`).
 */
export function useEnv(name: string, value: string): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env[name];
    process.env[name] = value;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  });
}

/**
 * Sets CLVKIT_KEY to a fixed key (32 bytes of `byte`) for the calling `describe` block (`useEnv`): the same tokens on
 * every run and on both engines, so the same customers' order and seeded splits.
 */
export function useFixedKey(byte: number): void {
  useEnv('CLVKIT_KEY', Buffer.alloc(32, byte).toString('base64'));
}
