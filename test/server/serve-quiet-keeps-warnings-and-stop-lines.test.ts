/**
 * `clvkit serve --quiet` (session 43, review): --quiet muted every line of serve on stderr — the security warnings
 * (no user accounts: every login fails; beyond this machine without --secure-cookies) and the lines of a stop
 * (`SIGTERM: stopping …`, `error while stopping: …`), which a supervisor's log needs most. They are said under
 * --quiet too; the start-up progress lines are not.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from './serve-process.js';

describe('serve --quiet', () => {
  it('still says the security warnings and the stop lines, and nothing else', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [CLI, 'serve', '--db', ':memory:', '--port', '0', '--log-level', 'silent', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no warning within 60 s: ${err}`)), 60_000);
      child.stderr!.on('data', (text: string) => {
        err += text;
        if (err.includes('no user accounts')) (clearTimeout(timer), resolve());
      });
    });
    await started.catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    // past the start-up: listening (the last line it says when loud) is muted
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toBe(
      'clvkit serve: no user accounts in the in-memory warehouse: every login fails (no_users); serve a warehouse file made with clvkit users add NAME --role admin --db PATH\n' +
        'clvkit serve: SIGTERM: stopping (finishing requests in flight, closing the warehouse)…\n' +
        'clvkit serve: stopped\n',
    );
  }, 90_000);
});
