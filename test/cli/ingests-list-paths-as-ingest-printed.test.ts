/**
 * A user trial (session 40): `clvkit ingest … --json` gave each file's path as typed (`source`), `clvkit ingests list`
 * only its bare name — two files of one name in different folders read alike there, and the two outputs did not
 * agree. The list now names each file by the path its ingest printed, in its table and in its JSON (`path`; `source`
 * stays the name).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('ingests list names the files by the paths ingest printed', () => {
  it('two files named alike in two folders: the table and the JSON give the paths ingest --json gave', async () => {
    const dir = scratchDir();
    const db = join(dir, 'w.duckdb');
    for (const [folder, ids] of [['january', ['1', '2']], ['february', ['3', '4']]] as const) {
      mkdirSync(join(dir, folder));
      writeFileSync(join(dir, folder, 'orders.csv'), `order_id,customer_id,date,amount\n${ids.map((id) => `${id},C${id},2023-01-0${id},5`).join('\n')}\n`);
    }
    const files = [join(dir, 'january', 'orders.csv'), join(dir, 'february', 'orders.csv')];
    const ingested = await cli(['ingest', ...files, '--db', db, '--json']);
    expect(ingested.code, ingested.stderr).toBe(0);
    expect((JSON.parse(ingested.stdout) as { files: { source: string }[] }).files.map((f) => f.source)).toEqual(files);

    const json = await cli(['ingests', 'list', '--db', db, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { source: string; path: string }[]).map((i) => [i.source, i.path])).toEqual([
      ['orders.csv', files[0]],
      ['orders.csv', files[1]],
    ]);
    const text = await cli(['ingests', 'list', '--db', db]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/ {2}file$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).at(-1))).toEqual(files);
  }, 60_000);

  // a trial of session 41: the drop's "can be ingested again" hint named the bare file, which is not where it is
  it('ingests drop says the file can be ingested again by the path its ingest printed, and gives the path in its JSON', async () => {
    const dir = scratchDir();
    const db = join(dir, 'w.duckdb');
    mkdirSync(join(dir, 'march'));
    const file = join(dir, 'march', 'orders.csv');
    writeFileSync(file, 'order_id,customer_id,date,amount\n1,C1,2023-03-01,5\n2,C2,2023-03-02,6\n');
    expect((await cli(['ingest', file, '--db', db, '--quiet'])).code).toBe(0);
    const dropped = await cli(['ingests', 'drop', '1', '--db', db, '--role', 'admin']);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stdout).toContain(`the file can be ingested again: clvkit ingest ${file} `);
    expect(dropped.stdout).toContain(`dropped ingest 1 (orders.csv, transactions,`);
    expect((await cli(['ingest', file, '--db', db, '--quiet'])).code).toBe(0);
    const json = await cli(['ingests', 'drop', '2', '--db', db, '--role', 'admin', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ingestId: 2, source: 'orders.csv', path: file });
  }, 60_000);
});
