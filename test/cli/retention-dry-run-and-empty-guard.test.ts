import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A historical warehouse: every purchase older than a year (two customers). */
async function buildHistoricalWarehouse(): Promise<string> {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const orders = join(dir, 'orders.csv');
  writeFileSync(orders, `customer_id,date,amount\nold,${day(800)},10\nold,${day(700)},12\nolder,${day(600)},5\n`);
  const ingest = await cli(['ingest', orders, '--db', db]);
  expect(ingest.code, ingest.stderr).toBe(0);
  return db;
}

let built: Promise<string> | undefined;

/** The historical warehouse, ingested once per file: a copy of its own (with its key file beside it) for each caller. */
async function historicalWarehouse(): Promise<string> {
  built ??= buildHistoricalWarehouse();
  const source = await built;
  const db = join(scratchDir(), 'wh.duckdb');
  copyFileSync(source, db);
  copyFileSync(`${source}.key`, `${db}.key`);
  return db;
}

const auditEntries = async (db: string) => (JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { action: string }[]).length;

describe('retention apply --dry-run and the guard against emptying the warehouse', () => {
  it('--dry-run counts what would be purged per table, in the shape of apply, and changes nothing (not audited, file unchanged)', async () => {
    const db = await historicalWarehouse();
    const entries = await auditEntries(db);
    const before = sha(db);
    const dry = await cli(['retention', 'apply', '--transactions', '1y', '--events', '180d', '--db', db, '--role', 'admin', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const result = JSON.parse(dry.stdout) as { dryRun: boolean; deleted: Record<string, number>; rows: number; cutoffs: Record<string, string> };
    expect(result.dryRun).toBe(true);
    expect(result.deleted).toEqual({ transactions: 3, events: 0, quarantine: 0, customer_reid: 2, customers: 0, audience_members: 0 });
    expect(result.rows).toBe(5);
    expect(Object.keys(result.cutoffs).sort()).toEqual(['events', 'quarantine', 'transactions']);
    expect(sha(db)).toBe(before);
    expect(await auditEntries(db)).toBe(entries);
    const text = await cli(['retention', 'apply', '--transactions', '1y', '--db', db, '--role', 'admin', '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^transactions: rows before \d{4}-\d\d-\d\dT[\d:.]+Z would be purged\n/);
    expect(text.stdout).toContain('dry run: would delete 5 rows: transactions 3, ');
    // the preview says the real run would be refused (review: it listed the purge, and the same command without
    // --dry-run then exited 2)
    expect(text.stdout).toMatch(/\nwithout --dry-run this would be refused: retention would purge every transaction \(3 of 3\).*; add --allow-empty to purge everything on purpose\n$/);
    // a dry run of a partial purge counts only the rows past the cutoff, and says no refusal
    const partial = JSON.parse((await cli(['retention', 'apply', '--transactions', '650d', '--db', db, '--role', 'admin', '--dry-run', '--json'])).stdout) as { deleted: Record<string, number>; wouldRefuse?: string };
    expect(partial.deleted).toMatchObject({ transactions: 2, customer_reid: 1 });
    expect(partial.wouldRefuse).toBeUndefined();
    expect(sha(db)).toBe(before);
  });

  it('refuses (exit 2, one line naming the counts and the cut-off) a purge of every transaction unless --allow-empty', async () => {
    const db = await historicalWarehouse();
    const entries = await auditEntries(db);
    const refused = await cli(['retention', 'apply', '--transactions', '1y', '--events', '180d', '--db', db, '--role', 'admin']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^clvkit: error: retention would purge every transaction \(3 of 3\) and every customer \(2 of 2\): transactions cut-off \d{4}-\d\d-\d\d/);
    expect(refused.stderr).toContain('--dry-run');
    expect(refused.stderr).toContain('--allow-empty');
    expect(await auditEntries(db)).toBe(entries);
    // nothing went
    const still = JSON.parse((await cli(['retention', 'apply', '--transactions', '1y', '--db', db, '--role', 'admin', '--dry-run', '--json'])).stdout) as { deleted: Record<string, number> };
    expect(still.deleted.transactions).toBe(3);
    // a purge that leaves something is not refused
    const partial = await cli(['retention', 'apply', '--transactions', '650d', '--db', db, '--role', 'admin', '--json']);
    expect(partial.code, partial.stderr).toBe(0);
    expect(JSON.parse(partial.stdout)).toMatchObject({ dryRun: false, deleted: { transactions: 2, customer_reid: 1 } });
    const all = await cli(['retention', 'apply', '--transactions', '1y', '--db', db, '--role', 'admin', '--allow-empty', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ dryRun: false, deleted: { transactions: 1, customer_reid: 1 } });
    expect(await auditEntries(db)).toBe(entries + 2);
  });

  it('--help names --dry-run and --allow-empty', async () => {
    const help = await cli(['retention', 'apply', '--help']);
    expect(help.stdout).toContain('--dry-run');
    expect(help.stdout).toContain('--allow-empty');
  });
});
