import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../../src/math/random.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';

/** Runs `clvkit <args>`: exit code and what it printed (`cli` of test/helpers/cli.ts, or another version's). */
export type CliRunner = (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

async function ok(run: CliRunner, args: string[]): Promise<string> {
  const result = await run(args);
  if (result.code !== 0) throw new Error(`clvkit ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The two campaigns: customers (ids `prefix`1…), orders each in 2023, and January's buyers in each group. */
const CAMPAIGNS = [
  { name: 'trial', prefix: 'T', customers: 288, orders: 1, buyers: { treatment: 15, control: 0 } },
  { name: 'thin', prefix: 'U', customers: 300, orders: 2, buyers: { treatment: 100, control: 1 } },
] as const;

/**
 * Two campaigns with thin control groups, on which clvkit as of a3f33b2^ (Welch's t) made
 * test/fixtures/campaigns/welch-era-evaluations.json (`campaign evaluate --from 2024-01-01 --to 2024-01-31
 * --cost-per-contact 0.05 --json` of each): `trial`, the user trial's (288 customers with one order in 2023; 259
 * treated, 29 control; the first 15 treated by id buy in January, no control customer: buyers p = 8.9e-5), and `thin`
 * (300 customers with two orders; 270 treated, 30 control; 80 treated buyers and 1 control: a relative uplift Welch
 * put well above 0). Both drawn with holdout 0.1, seed 7, sent 2024-01-01, with a key of 42s; every fourth buyer (the 4th, 8th, …) buys
 * twice. Returns the warehouse file; each audience's members (token, group, id) are in `<name>.csv` beside it.
 */
export async function welchEraCampaigns(run: CliRunner, dir: string): Promise<string> {
  const db = join(dir, 'shop.duckdb');
  initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) });
  const random = createRandom(23);
  const history = ['order_id,customer_id,date,amount'];
  let order = 0;
  for (const c of CAMPAIGNS) {
    for (let k = 1; k <= c.customers; k++) {
      const days = new Set<number>();
      while (days.size < c.orders) days.add(random.integer(365));
      for (const d of days) history.push(`H${++order},${c.prefix}${k},${day('2023-01-01', d)},${(20 + 20 * random.uniform()).toFixed(2)}`);
    }
  }
  writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
  await ok(run, ['ingest', join(dir, 'history.csv'), '--db', db]);
  const january = ['order_id,customer_id,date,amount'];
  for (const c of CAMPAIGNS) {
    await ok(run, ['audience', 'create', '--db', db, '--name', c.name, '--where', `orders = ${c.orders}`, '--holdout', '0.1', '--seed', '7', '--send-date', '2024-01-01', '--role', 'admin', '--reveal-ids', '--out', join(dir, `${c.name}.csv`)]);
    for (const group of ['treatment', 'control'] as const) {
      for (const [i, id] of groupMembers(dir, c.name, group).slice(0, c.buyers[group]).entries()) {
        for (let k = 0; k < (i % 4 === 3 ? 2 : 1); k++) january.push(`J${++order},${id},2024-01-${String(1 + ((i + 7 * k) % 31)).padStart(2, '0')},${(15 + 30 * random.uniform()).toFixed(2)}`);
      }
    }
  }
  writeFileSync(join(dir, 'january.csv'), january.join('\n') + '\n');
  await ok(run, ['ingest', join(dir, 'january.csv'), '--db', db]);
  return db;
}

/** The ids of an audience's group, sorted, from the members file written beside the warehouse. */
export function groupMembers(dir: string, audience: string, group: 'treatment' | 'control'): string[] {
  return readFileSync(join(dir, `${audience}.csv`), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')).filter((m) => m[1] === group).map((m) => m[2]!).sort();
}
