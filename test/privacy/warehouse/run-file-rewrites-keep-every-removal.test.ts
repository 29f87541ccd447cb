/**
 * Rewrites of one run file keep every removal. A server's run file
 * (`<db>.runs/<run>/customers.csv`) may be rewritten by two at once: the
 * run removing the customers erased while it went on (erased-during-run.ts)
 * and `clvkit erase --db <db>` (another process), or two erasures. Each read
 * the file, wrote the rest beside it and renamed it over the file, so the
 * last rename won: a rewrite that read the file before another one's rename
 * put back the lines that one removed (and in one process both wrote the
 * same scratch file). Now the rewrites of a file take turns: a lock file
 * beside it, made exclusively (`<file>.lock`, holding the writer's pid),
 * waited for by the next, and taken over when the process that left it is gone.
 * An analysis writing the file holds the same turn: an erasure beside it
 * used to read it half written and rename that half over it.
 */
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eraseFromRunFile, whileWritingRunFile } from '../../../src/privacy/warehouse/erase-from-run-files.js';
import { scratchDir } from '../../helpers/warehouse.js';

const token = (i: number) => `c_${String(i).padStart(26, 'a')}`;

/** A customers.csv of `customers` tokens with `lines` lines each (a big file: a rewrite takes a while). */
function runFile(customers: number, lines: number): string {
  const file = join(scratchDir(), 'customers.csv');
  const rows = ['customer_id,score'];
  for (let i = 0; i < customers; i++) for (let j = 0; j < lines; j++) rows.push(`${token(i)},${i}.${j}`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

const tokensIn = (file: string) => new Set(readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]));

describe('rewrites of one run file keep every removal', () => {
  it('eight rewrites at once, each removing another customer: all eight are gone, every other line kept', async () => {
    const file = runFile(40, 500);
    const results = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => eraseFromRunFile(file, new Set([token(i)]))));
    expect(results.map((r) => r!.lines)).toEqual([500, 500, 500, 500, 500, 500, 500, 500]);
    const left = tokensIn(file);
    expect([0, 1, 2, 3, 4, 5, 6, 7].filter((i) => left.has(token(i)))).toEqual([]);
    expect(left.size).toBe(32);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1 + 32 * 500);
    // nothing left beside it: no scratch file, no lock
    expect(readdirSync(join(file, '..'))).toEqual(['customers.csv']);
  });

  it("waits while another process's rewrite holds the file, then removes its customer", async () => {
    const file = runFile(3, 2);
    writeFileSync(`${file}.lock`, `${process.ppid}\n`); // a live process (the test runner's parent) is rewriting it
    let done = false;
    const rewrite = eraseFromRunFile(file, new Set([token(1)])).then((r) => ((done = true), r));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    expect(tokensIn(file).has(token(1))).toBe(true);
    // the other process renamed its file over this one (it removed customer 0) and let go
    writeFileSync(file, ['customer_id,score', `${token(1)},1.0`, `${token(1)},1.1`, `${token(2)},2.0`, `${token(2)},2.1`].join('\n') + '\n');
    rmSync(`${file}.lock`);
    expect((await rewrite)!.lines).toBe(2);
    expect([...tokensIn(file)]).toEqual([token(2)]);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const file = runFile(3, 2);
    writeFileSync(`${file}.lock`, '2147483646\n'); // no such process
    expect((await eraseFromRunFile(file, new Set([token(0)])))!.lines).toBe(2);
    expect([...tokensIn(file)].sort()).toEqual([token(1), token(2)]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('an erasure while a run writes the file waits until it is whole, then removes its customer and keeps every other line', async () => {
    const file = join(scratchDir(), 'customers.csv');
    const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${token(from + i)},${from + i}\n`).join('');
    // the run writes half its lines, then (a slow export) the rest
    const writing = whileWritingRunFile(file, async () => {
      writeFileSync(file, `customer_id,score\n${lines(0, 50)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      appendFileSync(file, lines(50, 100));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const erased = await eraseFromRunFile(file, new Set([token(70)]));
    await writing;
    expect(erased!.lines).toBe(1);
    const left = tokensIn(file);
    expect(left.size).toBe(99);
    expect(left.has(token(70))).toBe(false);
  });
});
