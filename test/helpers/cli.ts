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
