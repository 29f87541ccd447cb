import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { cli } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

// A key file other than the one a warehouse was written with is refused by every command that opens it with a key,
// on a cluster as on a DuckDB file: one line naming both root keys, exit 2, nothing written — no audit entry signed with
// the wrong key, which would break the audit chain for good (the audience, playbook and read commands on a cluster
// used to accept it).
describe.skipIf(!CLICKHOUSE_URL)(`a wrong key file is refused on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let dir: string;
  let db: string;
  let shopKey: string;
  let otherKey: string;
  let clickhouse: ClickHouseWarehouse;
  let on: string[];

  beforeAll(async () => {
    dir = scratchDir();
    db = join(dir, 'shop.duckdb');
    shopKey = join(dir, 'shop.key');
    otherKey = join(dir, 'other.key');
    for (const key of [shopKey, otherKey]) expect((await cli(['keys', 'init', '--key-file', key])).code).toBe(0);
    await generateShop({ outDir: join(dir, 'shop'), customers: 200, products: 30, seed: 7 });
    const file = join(dir, 'shop', 'transactions.csv');
    const duck = await cli(['ingest', file, '--db', db, '--key-file', shopKey]);
    expect(duck.code, duck.stderr).toBe(0);
    clickhouse = await clickhouseWarehouse('wrong_key_refused');
    on = clickhouseFlags(clickhouse.database);
    const cluster = await cli(['ingest', file, ...on, '--key-file', shopKey]);
    expect(cluster.code, cluster.stderr).toBe(0);
  }, 180_000);
  afterAll(() => dropScratchDatabase(clickhouse));

  const auditCount = async (engine: string[]) => {
    const listed = await cli(['audit', 'list', ...engine, '--key-file', shopKey, '--role', 'admin', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout) as unknown[]).length;
  };

  const commands: readonly (readonly string[])[] = [
    ['lifecycle'],
    ['segments'],
    ['cohorts'],
    ['customer', '100001', '--alive-path'],
    ['rules'],
    ['audience', 'list'],
    ['privacy', 'report'],
    ['playbook', '--out', 'PB'],
    ['analyze', '--out', 'RUN', '--quiet'],
  ];

  for (const engine of ['duckdb', 'clickhouse'] as const) {
    it(`${engine}: every command refuses other.key in one line, exit 2, nothing written, the audit log still verifies`, async () => {
      const flags = engine === 'duckdb' ? ['--db', db] : on;
      const before = await auditCount(flags);
      const answers: { command: string; code: number; refusal: boolean; lines: number; wroteOut: boolean }[] = [];
      for (const command of commands) {
        const out = join(dir, `${engine}-${command[0]}`);
        const args = command.map((arg) => (arg === 'PB' || arg === 'RUN' ? out : arg));
        if (engine === 'duckdb' && command[0] === 'analyze') continue; // analyze --db reads files into the file: another test's matter
        const refused = await cli([...args, ...flags, '--key-file', otherKey]);
        // every command's answer, so that a failure names each command that took the key
        answers.push({
          command: command.join(' '),
          code: refused.code,
          refusal: /^clvkit: .* was written with key k\w+, but key file \S*other\.key has root key k\w+; nothing was changed/.test(refused.stderr),
          lines: refused.stderr.trim().split('\n').length,
          wroteOut: existsSync(out),
        });
      }
      expect(answers).toEqual(answers.map(({ command }) => ({ command, code: 2, refusal: true, lines: 1, wroteOut: false })));
      expect(await auditCount(flags)).toBe(before);
      const verified = await cli(['audit', 'verify', ...flags, '--key-file', shopKey, '--role', 'admin']);
      expect(verified.code, verified.stderr + verified.stdout).toBe(0);
    }, 300_000);
  }
});
