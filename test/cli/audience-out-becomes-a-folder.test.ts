/**
 * A folder that appears at `--out` while an audience is drawn (after the check before the run, before the file is
 * moved into place) is refused in one line with a hint, exit 2: the move into place failed with Node's raw EISDIR
 * (rename of the scratch file, a path the user never named: an internal error with its stack trace), and nothing
 * said that the audience had been stored. The folder is made here right before the move (core/replace-file.js
 * wrapped: its `place()` first makes the folder), as a user's other program would meanwhile.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

/** The targets whose folder appears right before the move into place. */
const becomeFolders = vi.hoisted(() => new Set<string>());

vi.mock('../../src/core/replace-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/replace-file.js')>();
  return {
    ...real,
    startOwnerOnlyFile: (path: string, options?: { readonly keepMode?: boolean }) => {
      const file = real.startOwnerOnlyFile(path, options);
      return {
        ...file,
        place: () => {
          if (becomeFolders.has(path)) mkdirSync(path);
          file.place();
        },
      };
    },
  };
});

let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
}, 120_000);

describe('a folder made at --out while the audience is written', () => {
  it('audience create: one line naming the folder, the audience stored, and the command that writes its file; exit 2', async () => {
    const out = join(dirname(db), 'send', 'members.csv');
    becomeFolders.add(out);
    const run = await cli(['audience', 'create', '--db', db, '--name', 'raced', '--where', 'orders >= 1', '--holdout', '0.2', '--out', out]);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`clvkit: error: ${out} is a folder, not a file: one was made there while the members were written (the audience raced is stored; its file was not written) (hint: remove or rename that folder, then write the file: clvkit audience show raced --db ${db} --out ${out})\n`);
    expect(run.code).toBe(2);
    expect(statSync(out).isDirectory()).toBe(true);
    expect(readdirSync(dirname(out))).toEqual(['members.csv']); // the scratch folder removed
    becomeFolders.delete(out);
    // the hint, run once the folder is gone, writes the stored audience's members
    const again = await cli(['audience', 'show', 'raced', '--db', db, '--out', join(dirname(out), 'members2.csv')]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dirname(out), 'members2.csv'), 'utf8').trim().split('\n')).toHaveLength(61);
  }, 60_000);

  it('audience show: the same line', async () => {
    const out = join(dirname(db), 'show', 'members.json');
    expect((await cli(['audience', 'create', '--db', db, '--name', 'shown', '--where', 'orders >= 1', '--holdout', '0.2'])).code).toBe(0);
    becomeFolders.add(out);
    const run = await cli(['audience', 'show', 'shown', '--db', db, '--out', out]);
    expect(run.stderr).toBe(`clvkit: error: ${out} is a folder, not a file: one was made there while the members were written (the audience shown is stored; its file was not written) (hint: remove or rename that folder, then write the file: clvkit audience show shown --db ${db} --out ${out})\n`);
    expect(run.code).toBe(2);
  }, 60_000);
});
