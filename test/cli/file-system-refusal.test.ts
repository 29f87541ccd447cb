/**
 * The CLI's last line of defence (run-cli.ts): a file-system error no check
 * caught becomes one line naming the path with a hint, exit 2, when it is the
 * user's to fix (a permission, a read-only or full disk, a missing file or a
 * file where a folder belongs on a path they named) — and stays an internal
 * error when it may be a bug (clvkit's own files, a path the code made up).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { userFileSystemError } from '../../src/cli/file-system-refusal.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

/** An error shaped as Node's for a failed file-system call. */
function nodeError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const words: Record<string, string> = { EACCES: 'permission denied', EPERM: 'operation not permitted', EISDIR: 'illegal operation on a directory', ENOTDIR: 'not a directory', ENOENT: 'no such file or directory', EROFS: 'read-only file system', ENOSPC: 'no space left on device' };
  return Object.assign(new Error(`${code}: ${words[code]}, ${syscall}${path ? ` '${path}'` : ''}`), { code, errno: -1, syscall, ...(path ? { path } : {}) });
}

const refusal = (error: unknown, argv: string[] = []) => {
  const mapped = userFileSystemError(error, argv);
  return mapped ? `${mapped.message} (hint: ${mapped.hint})` : null;
};

describe('userFileSystemError: the file-system errors the CLI words for the user', () => {
  it('a permission, a read-only disk or a full disk, on any path but clvkit’s own: one line naming it', () => {
    expect(refusal(nodeError('EACCES', 'open', '/data/orders.csv'))).toBe('cannot open /data/orders.csv: permission denied (hint: check who may read and write it and its folders (ls -ld /data/orders.csv), or use a path you have access to)');
    expect(refusal(nodeError('EPERM', 'mkdir', '/srv/out'))).toBe('cannot create the folder /srv/out: permission denied (hint: check who may read and write it and its folders (ls -ld /srv/out), or use a path you have access to)');
    expect(refusal(nodeError('EROFS', 'open', '/mnt/cd/report.html'))).toBe('cannot open /mnt/cd/report.html: the file system is read-only (hint: write to a folder on a writable disk)');
    expect(refusal(nodeError('ENOSPC', 'write', '/out/customers.csv'))).toBe('no space left on the disk (writing /out/customers.csv) (hint: free some space, or write to another disk (df -h shows the free space))');
    // a write on an open file names no path
    expect(refusal(nodeError('ENOSPC', 'write'))).toBe('no space left on the disk (hint: free some space, or write to another disk (df -h shows the free space))');
  });

  it('a missing file, a folder for a file, a file on the way: worded when the path is one the user named (or inside, beside or above one)', () => {
    const dir = scratchDir();
    const file = join(dir, 'orders.csv');
    writeFileSync(file, 'x\n');
    mkdirSync(join(dir, 'out'));
    const argv = ['analyze', file, `--out=${join(dir, 'out')}`, '--db', join(dir, 'shop.duckdb')];
    expect(refusal(nodeError('EISDIR', 'open', join(dir, 'out')), argv)).toBe(`${join(dir, 'out')} is a folder, not a file (hint: pass the path of a file (to write one, a file name inside that folder))`);
    expect(refusal(nodeError('ENOTDIR', 'open', join(file, 'x.csv')), argv)).toBe(`${join(file, 'x.csv')} goes through ${file}, which is a file, not a folder (hint: check the path: only its last part may be a file)`);
    expect(refusal(nodeError('ENOENT', 'open', join(dir, 'out', 'gone', 'report.html')), argv)).toBe(`cannot open ${join(dir, 'out', 'gone', 'report.html')}: the folder ${join(dir, 'out', 'gone')} does not exist (hint: create it first, or choose another path)`);
    expect(refusal(nodeError('ENOENT', 'unlink', join(dir, 'shop.duckdb.wal')), argv)).toBe(`no such file or folder: ${join(dir, 'shop.duckdb.wal')} (hint: check the path (relative paths start from the current folder))`);
  });

  it('a move into place onto a folder (rename, EISDIR) names the folder it met, not the scratch file it moved', () => {
    const out = join(scratchDir(), 'out');
    mkdirSync(join(out, 'customers.csv'), { recursive: true });
    const moving = Object.assign(nodeError('EISDIR', 'rename', join(out, '.customers.csv.writing-AbC123', 'customers.csv')), { dest: join(out, 'customers.csv') });
    expect(refusal(moving, ['analyze', 'orders.csv', '--out', out])).toBe(`${join(out, 'customers.csv')} is a folder, not a file (hint: a file of that name belongs there: remove or rename that folder, or pass other paths)`);
    // the engine's refusal to write where a folder is (not Node's error): the same line
    expect(refusal(new Error(`IO Error: Cannot open file "${join(out, 'customers.csv')}": Is a directory`), ['analyze', 'orders.csv', '--out', out])).toBe(`${join(out, 'customers.csv')} is a folder, not a file (hint: a file of that name belongs there: remove or rename that folder, or pass other paths)`);
  });

  it('stays an internal error where it may be a bug: clvkit’s own files, a path nobody named, any other error', () => {
    const own = fileURLToPath(new URL('../../src/report/missing-template.html', import.meta.url));
    expect(refusal(nodeError('ENOENT', 'open', own), [own])).toBeNull();
    expect(refusal(nodeError('EACCES', 'open', resolve(fileURLToPath(new URL('../../node_modules/x/y.js', import.meta.url)))))).toBeNull();
    const madeUp = join(scratchDir(), 'clvkit-lines-x', 'copy.csv');
    expect(refusal(nodeError('ENOENT', 'open', madeUp), ['ingest', '/data/orders.csv'])).toBeNull();
    expect(refusal(nodeError('EISDIR', 'read'), ['ingest', '/data/orders.csv'])).toBeNull();
    expect(refusal(new Error('IO Error: Cannot open file "/data/x": Permission denied'), ['/data/x'])).toBeNull();
    expect(refusal(Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect' }))).toBeNull();
  });
});

describe.skipIf(process.getuid?.() === 0)('a file-system error no check caught, through the CLI (chmod; skipped as root, who passes it)', () => {
  it('playbook --opt-out without read permission: one line, exit 2 (was EACCES with a stack trace, exit 1)', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db])).code).toBe(0);
    const optOut = join(dir, 'opt-out.txt');
    writeFileSync(optOut, 'A\n');
    chmodSync(optOut, 0o000);
    const run = await cli(['playbook', '--db', db, '--out', join(dir, 'plan'), '--opt-out', optOut]);
    expect(run.stderr.split('\n').at(-2)).toBe(`clvkit: error: cannot open ${optOut}: permission denied (hint: check who may read and write it and its folders (ls -ld ${optOut}), or use a path you have access to)`);
    expect(run.code).toBe(2);
  });
});
