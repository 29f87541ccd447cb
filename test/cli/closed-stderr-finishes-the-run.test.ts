/**
 * A reader of clvkit's stderr that stops early (`clvkit analyze … 2>&1 | head -2`) does not stop the run. Found in
 * session 31: the CLI ended at its next write after the pipe closed, with exit code 0 — no customers.csv, no audit
 * entry, the run's staged tables left in the warehouse, and a script that read "success". Now what follows the closed
 * pipe goes nowhere and the command finishes its work (Unix tools stop on a closed pipe because their output is their
 * work; an analysis's work is its files and tables).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from '../server/serve-process.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

describe('a closed stderr pipe', () => {
  it('does not end clvkit analyze: its files are written and it exits 0', async () => {
    assertBuilt();
    const out = join(scratchDir('clvkit-closed-stderr-'), 'out');
    const child = spawn(process.execPath, [CLI, 'analyze', `${FIXTURES}shop/tiny-shop.csv`, '--out', out, '--skip-report'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CLVKIT_KEY: Buffer.alloc(32, 7).toString('base64') },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // the reader takes the first line and goes away, as head -1 does
    child.stderr!.once('data', () => child.stderr!.destroy());
    expect(await exited).toBe(0);
    expect(existsSync(join(out, 'customers.csv'))).toBe(true);
    expect(existsSync(join(out, 'run.json'))).toBe(true);
  }, 120_000);
});
