import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

/** 10 customers: 8 buy X then Y, 2 buy X then Z (one order a month). */
function writeSequenceOrders(dir: string): string {
  const lines = ['order_id,customer_id,date,product_id,quantity,unit_price'];
  for (let c = 1; c <= 10; c++) {
    lines.push(`${c}01,S${c},2023-01-0${(c % 9) + 1},X,1,10`);
    lines.push(`${c}02,S${c},2023-02-0${(c % 9) + 1},${c <= 8 ? 'Y' : 'Z'},1,10`);
  }
  const path = join(dir, 'sequences.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function ingestedShop(): Promise<{ dir: string; db: string }> {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const ingest = await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db]);
  expect(ingest.code, ingest.stderr).toBe(0);
  return { dir, db };
}

async function auditActions(db: string): Promise<{ action: string; role: string; target: string | null; rowCounts: Record<string, number>; details: Record<string, unknown> }[]> {
  const log = await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json']);
  expect(log.code, log.stderr).toBe(0);
  return JSON.parse(log.stdout);
}

describe('commands that read a warehouse check the role and audit the read', () => {
  it('recommend --db finds a customer by the id of the input file, prints tokens, and audits the export', async () => {
    const { db } = await ingestedShop();
    const token = createPseudonymiser(readKeyFile(`${db}.key`))('I');
    const run = await cli(['recommend', '--db', db, '--customer', 'I', '--top', '2', '--actor', 'mia', '--role', 'marketer']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('customer_id,rank,product_id,description,score,source');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([`${token},1`, `${token},2`]);
    expect(run.stdout).not.toMatch(/(^|\n)I,/);
    const entries = await auditActions(db);
    expect(entries.map((e) => e.action)).toEqual(['ingest', 'export_audience']);
    expect(entries[1]).toMatchObject({ role: 'marketer', target: `customer:${token}`, rowCounts: { customers: 1, lines: 2 }, details: { command: 'recommend' } });
    // an analyst's list of everyone is a customer export; reading aggregates is audited too
    expect((await cli(['recommend', '--db', db, '--all'])).code).toBe(0);
    expect((await cli(['sequences', '--db', db, '--role', 'viewer'])).code).toBe(0);
    const later = (await auditActions(db)).slice(2);
    expect(later.map((e) => [e.action, e.role, e.target, e.details.command])).toEqual([
      ['export_customers', 'analyst', 'stdout', 'recommend'],
      ['view_aggregates', 'viewer', 'warehouse', 'sequences'],
    ]);
  });

  it('a viewer may not list recommendations (customer-level data); a wrong key changes nothing', async () => {
    const { dir, db } = await ingestedShop();
    const denied = await cli(['recommend', '--db', db, '--all', '--role', 'viewer']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toBe('clvkit: error: role viewer may not export_customers or export_audience (hint: roles allowed: admin, analyst, marketer; if you act as marketer, pass --role marketer)\n');
    renameSync(`${db}.key`, join(dir, 'moved.key'));
    const noKey = await cli(['sequences', '--db', db]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^clvkit: error: .*key/);
    expect((await cli(['sequences', '--db', db, '--key-file', join(dir, 'moved.key')])).code).toBe(0);
  });

  it('sequences leaves out patterns followed by fewer than k customers, and a viewer may see them', async () => {
    const dir = scratchDir();
    const orders = writeSequenceOrders(dir);
    const byDefault = JSON.parse((await cli(['sequences', orders, '--json', '--role', 'viewer'])).stdout);
    expect(byDefault.rules.map((r: { nextLabels: string[]; count: number }) => `${r.nextLabels.join('+')}:${r.count}`)).toEqual(['Y:8']);
    expect(byDefault.withheld).toBe(1);
    const small = JSON.parse((await cli(['sequences', orders, '--json', '--min-group-size', '2'])).stdout);
    expect(small.rules.map((r: { nextLabels: string[]; count: number }) => `${r.nextLabels.join('+')}:${r.count}`).sort()).toEqual(['Y:8', 'Z:2']);
    const text = await cli(['sequences', orders]);
    expect(text.stdout).toMatch(/1 pattern followed by fewer than 5 customers left out/);
  });
});
