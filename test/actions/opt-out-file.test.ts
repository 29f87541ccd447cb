import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOptOutFile } from '../../src/actions/opt-out-list.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

let dir: string;
let db: string;
let ids: string[];

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The members of the audiences named `<prefix>…` who are among `listed` (ids as in the input), and how many were drawn. */
async function drawnAmong(prefix: string, listed: readonly string[]): Promise<{ drawn: number; listed: number }> {
  const token = createPseudonymiser(readKeyFile(`${db}.key`));
  const tokens = new Set(listed.map((id) => token(id)));
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const rows = await warehouse.query(`SELECT customer_id FROM audience_members WHERE audience LIKE '${prefix}%'`);
    return { drawn: rows.length, listed: rows.filter((r) => tokens.has(String(r.customer_id))).length };
  } finally {
    await warehouse.close();
  }
}

beforeAll(async () => {
  dir = scratchDir();
  db = join(dir, 'shop.duckdb');
  expect((await cli(['synth', '--customers', '600', '--seed', '11', '--out', join(dir, 'shop'), '--no-events'])).code).toBe(0);
  expect((await cli(['ingest', join(dir, 'shop', 'transactions.csv'), '--db', db])).code).toBe(0);
  const lines = readFileSync(join(dir, 'shop', 'transactions.csv'), 'utf8').trim().split('\n').slice(1);
  ids = [...new Set(lines.map((line) => line.split(',')[1]!).filter(Boolean))];
}, 120_000);

describe('readOptOutFile', () => {
  it('reads a plain list, with or without a header, quoted ids, blank lines, and gzip', () => {
    expect(readOptOutFile(write('plain.txt', 'C1\nC2\n\n C3 \n'))).toEqual({ ids: ['C1', 'C2', 'C3'], column: null });
    expect(readOptOutFile(write('headed.txt', 'customer_id\r\nC1\r\n"C2"\r\n'))).toEqual({ ids: ['C1', 'C2'], column: 'customer_id' });
    expect(readOptOutFile(write('plain.txt.gz', gzipSync('CustomerID\nC1\nC2\n')))).toEqual({ ids: ['C1', 'C2'], column: 'CustomerID' });
  });

  it('takes the id column of a CSV, TSV or ;-file with other columns', () => {
    expect(readOptOutFile(write('export.csv', 'email,customer_id,opted_out_at\na@x.com,C1,2024-01-01\n"b, jr@x.com",C2,2024-01-02\n')).ids).toEqual(['C1', 'C2']);
    expect(readOptOutFile(write('export.tsv', 'CustomerID\tEmail\nC1\ta@x.com\n')).ids).toEqual(['C1']);
    expect(readOptOutFile(write('export-semi.csv', 'id;email\nC9;a@x.com\n')).ids).toEqual(['C9']);
    // the customer's id before a line's own id
    expect(readOptOutFile(write('export-ids.csv', 'id,Customer ID\n1,C7\n')).ids).toEqual(['C7']);
  });

  // a file read wrongly suppresses nobody and says nothing: the opted-out customers would be contacted
  it('refuses what it cannot read as ids, in one line with a hint', () => {
    const refusal = (path: string) => {
      try {
        readOptOutFile(path);
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        return `${(error as UserError).message} | ${(error as UserError).hint}`;
      }
      throw new Error(`${path} was read`);
    };
    expect(refusal(write('no-id.csv', 'email,name\na@x.com,Ann\n'))).toMatch(/has 2 columns \(email, name\) and none is named customer_id: its lines would match no customer and nobody would be left out \| pass a file with one customer id per line/);
    expect(refusal(write('list.txt.gz', 'C1\nC2\n'))).toMatch(/is named \.gz but is not gzip-compressed/);
    expect(refusal(write('list.zip', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0])))).toMatch(/zip archive/);
    expect(refusal(write('list.parquet', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16)])))).toMatch(/is a parquet file, not a list of ids/);
  });
});

describe('clvkit playbook --opt-out FILE', () => {
  // Regression (a user trial's finding): an opt-out export with a header and an e-mail column was read a line at a time,
  // each whole line an "id" — no customer matched, nobody was left out, and the run said nothing
  it('leaves out the customers of a CSV export with other columns, and says how many of the list are customers', async () => {
    const listed = ids.slice(0, 120);
    const path = write('optout-export.csv', ['customer_id,email', ...listed.map((id, i) => `${id},person${i}@example.com`)].join('\n') + '\n');
    const run = await cli(['playbook', '--db', db, '--out', join(dir, 'plan-export'), '--json', '--prefix', 'export-', '--opt-out', path]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('clvkit: opt-out list: 120 ids, 120 of them customers of the warehouse');
    expect((JSON.parse(run.stdout) as { totals: { suppressed: { optedOut: number } } }).totals.suppressed.optedOut).toBeGreaterThan(20);
    const { drawn, listed: contacted } = await drawnAmong('export-', listed);
    expect(drawn).toBeGreaterThan(0);
    expect(contacted).toBe(0);
  }, 120_000);

  it('warns when no id of the list is a customer (e-mail addresses, another system’s ids)', async () => {
    const path = write('optout-emails.txt', ids.slice(0, 30).map((_, i) => `person${i}@example.com`).join('\n') + '\n');
    const run = await cli(['playbook', '--db', db, '--out', join(dir, 'plan-emails'), '--json', '--prefix', 'emails-', '--opt-out', path]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("clvkit: warning: none of the opt-out list's 30 ids is a customer of the warehouse, so it leaves nobody out");
  }, 120_000);

  it('refuses an export without an id column before anything is drawn (exit 2, one line)', async () => {
    const path = write('optout-no-id.csv', 'email,name\na@x.com,Ann\n');
    const run = await cli(['playbook', '--db', db, '--out', join(dir, 'plan-no-id'), '--prefix', 'noid-', '--opt-out', path]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('and none is named customer_id');
    expect((await drawnAmong('noid-', [])).drawn).toBe(0);
  }, 60_000);
});
