import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

// A read command given a file reads it into memory and stores nothing: the ingest's advice on a personal-data column
// ("was not stored; to keep it (encrypted) pass --map email=Email") means nothing there. clvkit ingest (and analyze
// --db), which store the file, keep it.
const ADVICE = 'to keep it (encrypted) pass --map email=Email';

function ordersWithEmail(): string {
  const dir = scratchDir();
  const lines = ['order_id,customer_id,date,amount,Email'];
  for (let i = 0; i < 40; i++) lines.push(`O${i},C${i % 8},2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')},${10 + i},c${i % 8}@example.com`);
  writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
  return join(dir, 'orders.csv');
}

describe('the advice to keep a personal-data column', () => {
  useFixedKey(7);

  it('is not given by summarize, which reads the file in memory; the column is still said to be left out', async () => {
    const file = ordersWithEmail();
    const result = await cli(['summarize', file, '--out', join(scratchDir(), 'summary.csv')]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain(ADVICE);
    expect(result.stderr).toContain("clvkit: warning: orders.csv: column 'Email' looks like personal data (email) and was left out (a file read in memory is not stored)");
  });

  it('is not given by segments reading a file in memory', async () => {
    const result = await cli(['segments', ordersWithEmail(), '--min-group-size', '2']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain(ADVICE);
  });

  it('is still given by clvkit ingest, which stores the file', async () => {
    const result = await cli(['ingest', ordersWithEmail(), '--db', join(scratchDir(), 'shop.duckdb')]);
    expect(result.code).toBe(0);
    expect(result.stderr + result.stdout).toContain(`column 'Email' looks like personal data (email) and was not stored; ${ADVICE}`);
  });
});
