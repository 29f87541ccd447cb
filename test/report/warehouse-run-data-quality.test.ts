import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

// QA: the README's flow (`clvkit ingest FILE --db X`, then `clvkit analyze --db X`) gave a report without the per-rule
// data-quality table, and a run.json whose `ingest` said rowsRead 0, quarantined 0 and every rule 0 beside
// `warehouse.quarantined 3837` — read as "nothing was checked". A run over a warehouse now shows its ingests' counts.
describe('analyze --db over a warehouse built by ingest: the data quality of its ingests', () => {
  let dir: string;
  let run: { ingest: { rowsRead: number; accepted: number; quarantined: number; rules: Record<string, number>; files: unknown[]; fromWarehouse?: { ingestIds: number[] } }; warehouse: { quarantined: number } };
  let html: string;
  let stdout: string;
  beforeAll(async () => {
    dir = scratchDir('clvkit-warehouse-dq-');
    const lines = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 40; c++) for (let k = 0; k < 1 + (c % 4); k++) lines.push(`O${c}-${k},C${c},2023-${String(1 + ((c + 3 * k) % 12)).padStart(2, '0')}-${String(1 + ((7 * c + k) % 28)).padStart(2, '0')},${(10 + c + k).toFixed(2)}`);
    lines.push('X1,,2023-03-01,10.00', 'X2,,2023-03-02,11.00', 'X3,C1,,12.00');
    writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
    const db = join(dir, 'shop.duckdb');
    const ingested = await cli(['ingest', join(dir, 'orders.csv'), '--db', db]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-models', '--skip-patterns']);
    expect(analysed.code, analysed.stderr).toBe(0);
    stdout = analysed.stdout;
    run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
  }, 120_000);

  it("run.json's ingest holds the warehouse's ingests, says which, and agrees with the warehouse", () => {
    expect(run.ingest.fromWarehouse?.ingestIds).toEqual([1]);
    expect(run.ingest.quarantined).toBe(3);
    expect(run.ingest.quarantined).toBe(run.warehouse.quarantined);
    expect(run.ingest.rules.missing_customer_id).toBe(2);
    expect(run.ingest.rules.missing_date).toBe(1);
    expect(run.ingest.rowsRead).toBe(run.ingest.accepted + 3);
    expect(run.ingest.files).toHaveLength(1);
  });

  it('the report shows the per-rule table and says the counts are the ingests of the warehouse', () => {
    expect(html).toContain('Every cleaning rule, in the order it applies');
    expect(html).toMatch(/No file was ingested in this run: the counts below are those of the warehouse’s ingest \(id 1\)/);
  });

  it("the summary's ingest line gives the warehouse's ingests, not a run's", () => {
    expect(stdout).toMatch(/ingest {5}none in this run; the warehouse's ingest \(id 1\): \d+ rows read = \d+ accepted \+ 3 quarantined/);
  });
});
