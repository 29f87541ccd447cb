import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';

/** A file of two orders of two customers, ids starting with `prefix`. */
export function orders(dir: string, name: string, prefix: string): string {
  const path = join(dir, name);
  writeFileSync(path, `order_id,customer_id,date,amount\n${prefix}1,${prefix}1,2023-01-01,10\n${prefix}2,${prefix}2,2023-01-02,20\n`);
  return path;
}

/**
 * `clvkit <args>` in this process, with `signal` (SIGINT: Ctrl-C; SIGTERM: what cron timeouts, systemd and Kubernetes
 * send) emitted when stderr says `when`.
 */
export async function interruptedCli(args: string[], when: string, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT'): Promise<{ code: number; stdout: string; stderr: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const io = {
    stdout: { write: (s: string) => (out.push(s), true) },
    stderr: {
      write: (s: string) => {
        err.push(s);
        if (s.includes(when)) process.emit(signal);
        return true;
      },
      isTTY: false,
    },
  };
  const code = await runCli(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

