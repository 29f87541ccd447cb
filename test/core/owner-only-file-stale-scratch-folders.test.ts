/**
 * A crash in the middle of `writeOwnerOnlyFile` (core/replace-file.ts) leaves its hidden 0700 scratch folder
 * `.<name>.writing-XXXXXX` beside the target, holding the half-written file (original ids, personal data). Nothing
 * removed it: each crash of a run with `--reveal-ids` added one. Now the next write of the same target removes the
 * scratch folders of that target whose writer is gone — only folders of exactly that name (six characters after
 * `writing-`), of this process's user, not a symlink, not a live process's write (its pid in the folder), and never
 * another target's.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOwnerOnlyFile } from '../../src/core/replace-file.js';
import { scratchDir } from '../helpers/warehouse.js';

/** A scratch folder as a crashed write left it: 0700, the half-written file in it, and (`writer`) the pid it names. */
function leftFolder(out: string, name: string, writer?: number): string {
  const folder = join(out, name);
  mkdirSync(folder, { mode: 0o700 });
  writeFileSync(join(folder, 't.csv'), 'customer_id,original_id\nc_1,P1\n');
  if (writer !== undefined) writeFileSync(join(folder, 't.csv.writer'), `${writer}\n`);
  return folder;
}

/** The pid of a process that has ended. */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid!;
}

const write = (text: string) => async (scratch: string) => writeFileSync(scratch, text);

describe('writeOwnerOnlyFile removes the scratch folders earlier writes of the same target left', () => {
  it('removes a crashed write’s folder (no pid in it, as older versions left them, or an ended process’s); keeps every other entry', async () => {
    const out = scratchDir();
    chmodSync(out, 0o755);
    leftFolder(out, '.t.csv.writing-AbC123'); // no pid: left by a version that wrote none, or a crash before it was written
    leftFolder(out, '.t.csv.writing-dead01', endedPid());
    // not stale, or not this target's, or not of that exact name: kept
    leftFolder(out, '.t.csv.writing-live01', process.ppid); // a live process writing the same target
    leftFolder(out, '.u.csv.writing-AbC123');
    leftFolder(out, '.t.csv.writing-AbC12');
    leftFolder(out, '.t.csv.writing-AbC1234');
    leftFolder(out, 'x.t.csv.writing-AbC123');
    leftFolder(out, '.t.csv.writing-AbC12!');
    leftFolder(out, '.t.csvXwriting-AbC123');
    writeFileSync(join(out, '.t.csv.writing-file01'), 'a file, not a scratch folder');
    const elsewhere = leftFolder(scratchDir(), 'elsewhere');
    symlinkSync(elsewhere, join(out, '.t.csv.writing-link01'));

    await writeOwnerOnlyFile(join(out, 't.csv'), write('customer_id,original_id\nc_2,P2\n'));

    expect(readFileSync(join(out, 't.csv'), 'utf8')).toBe('customer_id,original_id\nc_2,P2\n');
    expect((statSync(join(out, 't.csv')).mode & 0o777).toString(8)).toBe('600');
    expect(readdirSync(out).sort()).toEqual(
      ['.t.csv.writing-live01', '.u.csv.writing-AbC123', '.t.csv.writing-AbC12', '.t.csv.writing-AbC1234', 'x.t.csv.writing-AbC123', '.t.csv.writing-AbC12!', '.t.csvXwriting-AbC123', '.t.csv.writing-file01', '.t.csv.writing-link01', 't.csv'].sort(),
    );
    // the symlink was not followed: what it points at is whole
    expect(readdirSync(elsewhere)).toEqual(['t.csv']);
    expect(dirname(elsewhere)).not.toBe(out);
  });

  it.skipIf(process.getuid?.() !== 0)('keeps a scratch folder of another user (as root, the only one here who can make one)', async () => {
    const out = scratchDir();
    const other = leftFolder(out, '.t.csv.writing-Other1');
    chownSync(other, 4242, 4242);
    const own = leftFolder(out, '.t.csv.writing-Mine01');
    expect(statSync(own).uid).toBe(process.getuid!());
    await writeOwnerOnlyFile(join(out, 't.csv'), write('x\n'));
    expect(readdirSync(out).sort()).toEqual(['.t.csv.writing-Other1', 't.csv']);
  });

  it('two writes of one target in this process at once: neither removes the other’s folder, both end, the folder is clean', async () => {
    const out = scratchDir();
    let secondStarted!: () => void;
    const started = new Promise<void>((resolve) => (secondStarted = resolve));
    const first = writeOwnerOnlyFile(join(out, 't.csv'), async (scratch) => {
      writeFileSync(scratch, 'first\n');
      await started; // the second write starts (and looks for stale folders) while this one is half done
      return 'first';
    });
    const second = writeOwnerOnlyFile(join(out, 't.csv'), async (scratch) => {
      secondStarted();
      writeFileSync(scratch, 'second\n');
      return 'second';
    });
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(readdirSync(out)).toEqual(['t.csv']);
  });

  it('the scratch folder names its writer while the write runs', async () => {
    const out = scratchDir();
    const seen = await writeOwnerOnlyFile(join(out, 't.csv'), async (scratch) => {
      writeFileSync(scratch, 'x\n');
      return readFileSync(`${scratch}.writer`, 'utf8');
    });
    expect(seen).toBe(`${process.pid}\n`);
    expect(readdirSync(out)).toEqual(['t.csv']);
  });
});
