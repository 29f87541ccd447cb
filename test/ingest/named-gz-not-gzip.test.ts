import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const ORDERS = ['customer_id,date,amount', 'a,2024-01-02,10', 'b,2024-01-03,5', 'a,2024-02-02,7'].join('\n') + '\n';

// A user trial: a plain text file named .gz (cp cdnow.txt cd.txt.gz) was an internal error (rc 1) with the engine's
// "Input is not a GZIP stream" and the SQL it ran; a CSV named .csv.gz was refused with a hint about --delimiter and
// --header. The engine goes by the name: the file's first bytes are looked at first.
describe('a file named .gz that is not gzip-compressed', () => {
  const dir = scratchDir();
  const plain = join(dir, 'orders.csv.gz');
  writeFileSync(plain, ORDERS);
  const cdnow = join(dir, 'cd.txt.gz');
  writeFileSync(cdnow, ['00001 19970101 1 11.77', '00002 19970112 1 12.00', '00001 19970302 2 20.76'].join('\n') + '\n');
  const refusal = (path: string, plainName: string) => `clvkit: error: ${path} is named .gz but is not gzip-compressed (it is plain text) (hint: rename it without .gz: mv ${path} ${plainName})\n`;

  it.each([
    ['ingest', (f: string) => ['ingest', f, '--db', join(dir, 'wh.duckdb')]],
    ['analyze', (f: string) => ['analyze', f, '--out', join(dir, 'out'), '--quiet']],
    ['validate', (f: string) => ['validate', f, '--calibration-end', '1997-02-01']],
    ['summarize', (f: string) => ['summarize', f, '--out', join(dir, 'summary.csv')]],
    ['segments', (f: string) => ['segments', f]],
    ['fit', (f: string) => ['fit', f, '--model', 'bgnbd']],
  ])('%s refuses it in one line with exit code 2, no warehouse left', async (_name, args) => {
    for (const [path, plainName] of [[cdnow, join(dir, 'cd.txt')], [plain, join(dir, 'orders.csv')]] as const) {
      const run = await cli(args(path));
      expect(run.stderr).toBe(refusal(path, plainName));
      expect(run.code).toBe(2);
    }
    expect(existsSync(join(dir, 'wh.duckdb'))).toBe(false);
  });

  it('says what else it is: a Parquet file, a zip archive, binary', async () => {
    const parquet = join(dir, 'p.parquet.gz');
    writeFileSync(parquet, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 1)]));
    expect((await cli(['ingest', parquet, '--db', join(dir, 'wh.duckdb')])).stderr).toBe(`clvkit: error: ${parquet} is named .gz but is not gzip-compressed (it is a Parquet file) (hint: rename it without .gz: mv ${parquet} ${join(dir, 'p.parquet')})\n`);
    const zip = join(dir, 'z.csv.gz');
    writeFileSync(zip, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 0)]));
    expect((await cli(['ingest', zip, '--db', join(dir, 'wh.duckdb')])).stderr).toBe(`clvkit: error: ${zip} is named .gz but is not gzip-compressed (it is a zip archive) (hint: unzip it and pass the CSV/Parquet/JSONL/XLSX file inside)\n`);
    const binary = join(dir, 'b.csv.gz');
    writeFileSync(binary, Buffer.from([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0, 1, 2, 3, 4, 5]));
    const run = await cli(['ingest', binary, '--db', join(dir, 'wh.duckdb')]);
    expect([run.code, run.stderr]).toEqual([2, `clvkit: error: ${binary} is named .gz but is not gzip-compressed (it is binary content of another kind) (hint: decompress it with the tool that made it, or export it again; gzip -t FILE checks a gzip file)\n`]);
  });

  it('a real .gz is read, and so is gzip content under another name', async () => {
    const gz = join(dir, 'real.csv.gz');
    writeFileSync(gz, gzipSync(ORDERS));
    const unnamed = join(dir, 'unnamed.csv');
    writeFileSync(unnamed, gzipSync(ORDERS.replaceAll(',2024-', ',2023-')));
    const lines = join(dir, 'unnamed.jsonl');
    writeFileSync(lines, gzipSync('{"customer_id":"d","date":"2022-05-01","amount":"3"}\n{"customer_id":"e","date":"2022-05-02","amount":"4"}\n'));
    const run = await cli(['ingest', gz, unnamed, lines, '--db', join(dir, 'real.duckdb'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rowsRead: 8, accepted: 8 });
  });
});
