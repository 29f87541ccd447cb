/**
 * A small local ingest's fixed cost, counted in statements so it cannot creep back up unnoticed: every statement sent
 * to DuckDB (execute, query, queryColumns, stream, append, and the BEGIN/COMMIT of a transaction) from a brand-new
 * in-memory warehouse's migrations to the end of a keyed ingest of a 30-line file, and for the same file again (held:
 * nothing read). Session 24 (docs/scaling.md): 179 statements for a CLI ingest into a new file before, ~107 after.
 * Raise a ceiling only with a reason; lower it when a change saves statements.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { migrateWarehouse } from '../../src/engine/migrate-warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { countingStatements, scratchDir } from '../helpers/warehouse.js';

describe('a small ingest into a new warehouse', () => {
  it('sends no more statements than it did in session 24', async () => {
    const dir = scratchDir();
    const lines = ['order_id,customer_id,order_date,product_id,quantity,unit_price'];
    for (let i = 0; i < 30; i++) lines.push(`${500 + (i >> 1)},${100 + (i % 7)},2023-0${1 + (i % 9)}-1${i % 10}T10:00:00,P${i % 5},${1 + (i % 3)},${(2.5 + i).toFixed(2)}`);
    lines.push(lines[5]!, ',,2023-01-01T00:00:00,P1,1,2.00'); // a copy and a row without a customer id
    const path = join(dir, 'small.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false, threads: 1 });
    const { counted, statements } = countingStatements(warehouse);
    await migrateWarehouse(counted);
    expect(statements.length).toBe(5); // CREATE schema_migrations, its versions, BEGIN, the script, COMMIT
    const keyring = keyringFromKey(generateKey());
    const now = new Date('2024-06-01T00:00:00Z');
    const report = await ingestFiles(counted, [path], { keyring, now });
    expect([report.rowsRead, report.accepted, report.quarantined, report.rules.duplicate, report.rules.missing_customer_id]).toEqual([32, 30, 2, 1, 1]);
    const first = statements.length;
    await ingestFiles(counted, [path], { keyring, now });
    const again = statements.length - first;
    expect(first).toBeLessThanOrEqual(FIRST_CEILING);
    expect(again).toBeLessThanOrEqual(HELD_CEILING);
    await warehouse.close();
  });
});

/** the migrations (5) and the first ingest: 101 in session 24 (the migrations alone were 77 before it) */
const FIRST_CEILING = 101;
/** the same file again, held: its SHA-256 looked up, nothing read (12 in session 24) */
const HELD_CEILING = 12;
