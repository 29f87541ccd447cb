import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownerOnlyFiles } from '../../src/server/runs/run-jobs.js';
import { scratchDir } from '../helpers/warehouse.js';

// Review (session 41, high): the pass that makes a served run's files 0600 threw on the first chmod it could not do (a
// mount that refuses chmod, an immutable file), after the run's own catch and with nothing awaiting the run: an
// unhandled rejection, and the server process ended with a stack trace. A file it cannot change is passed over and
// named (the server logs it); every other file is still made owner-only.
describe('the owner-only pass over a run folder', () => {
  it('passes over a file whose mode cannot be changed, names it, and changes the others', () => {
    const dir = join(scratchDir(), 'run');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    for (const name of ['customers.csv', 'stuck.txt', 'nested/run.json']) writeFileSync(join(dir, name), 'x', { mode: 0o644 });
    const stuck = join(dir, 'stuck.txt');
    const failed = ownerOnlyFiles(dir, (path, mode) => {
      if (path === stuck) throw Object.assign(new Error(`EPERM: operation not permitted, chmod '${path}'`), { code: 'EPERM' });
      chmodSync(path, mode);
    });
    expect(failed).toEqual([stuck]);
    expect(statSync(join(dir, 'customers.csv')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested', 'run.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
  });
});
