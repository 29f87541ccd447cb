/**
 * makeFolders is clvkit's `mkdir -p` (Node's recursive mkdir loops for ever under /proc: see
 * test/cli/out-folder-in-system-folder.test.ts): the folders missing on the way are made, the first one made returned,
 * a file on the way refused in one line.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolders } from '../../src/core/make-folders.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('makeFolders', () => {
  it('makes the missing folders with the mode given and returns the first one made; nothing when the folder is there', () => {
    const dir = scratchDir();
    expect(makeFolders(join(dir, 'a', 'b', 'c'), { mode: 0o700 })).toBe(join(dir, 'a'));
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(makeFolders(join(dir, 'a', 'b', 'c'))).toBeUndefined();
    expect(makeFolders(join(dir, 'a', 'b', 'd'))).toBe(join(dir, 'a', 'b', 'd'));
  });

  it('refuses a path through a file, or a file where the folder belongs, in one line naming the flag', () => {
    const dir = scratchDir();
    const file = join(dir, 'orders.csv');
    writeFileSync(file, 'x\n');
    expect(() => makeFolders(join(file, 'out', 'x'), { flag: '--out' })).toThrow(`--out ${join(file, 'out', 'x')} goes through ${file}, which is a file, not a folder`);
    expect(() => makeFolders(file)).toThrow(`the folder ${file} is a file, not a folder`);
  });
});
