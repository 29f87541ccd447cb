/**
 * The funnels find each group's decision by its key on both engines (DuckDB and a ClickHouse cluster, where the funnel
 * labels come from other queries: clickhouse-funnels.ts): on a 400-customer shop with events (a tenth as many
 * prospects, every third customer never browsing) at k = 20, every funnel row of a stage, RFM segment, cohort or
 * acquisition channel is a group its table lists (the funnels' own `(anonymous)` and `(none)` aside), every group its
 * table withholds is withheld in the funnel, and no withheld count of the stage table, KPIs, funnels, cross-table or
 * transitions is recovered by subtraction (`recoverBySubtraction`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyze, type RunSummary } from '../../../src/pipeline/analyze.js';
import { analyzeOnClickHouse, clickhouseAnalyzeOptions } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { groupKey } from '../../../src/privacy/disclosure/group-key.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { equationsThatDoNotHold, recoverBySubtraction } from '../../privacy/subtraction-attack.js';

type Row = Record<string, any>;
const K = 20;

/** Each grouped funnel with its table's groups (key → count, null where withheld). */
function tables(run: Row): { funnel: string; groups: Map<string, number | null> }[] {
  const of = (rows: Row[], name: string) => new Map(rows.map((r) => [groupKey(String(r[name])), r.customers as number | null]));
  return [
    { funnel: 'byStage', groups: of(run.segments.stages.stages, 'stage') },
    { funnel: 'bySegment', groups: of(run.segments.rfm.segments, 'name') },
    { funnel: 'byCohort', groups: of(run.segments.cohorts.cohorts, 'label') },
    { funnel: 'byChannel', groups: of(run.segments.kpis.byAcquisitionChannel, 'group') },
  ];
}

describe.skipIf(!CLICKHOUSE_URL)(`the funnels follow their groups' tables by key on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  const runs: Record<string, Row> = {};
  const dir = scratchDir('clvkit-funnel-keys-');
  const keyring = keyringFromKey(Buffer.alloc(32, 36), { source: 'memory' });

  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 400, seed: 3, prospectShare: 0.1 });
    const events = join(dir, 'events.csv');
    const [header, ...lines] = readFileSync(events, 'utf8').trimEnd().split('\n');
    const dropped = new Set(lines.map((l) => l.split(',')).filter(([, id]) => id !== '' && Number(id) % 3 === 0).map(([session]) => session));
    writeFileSync(events, [header, ...lines.filter((l) => !dropped.has(l.split(',')[0]!))].join('\n') + '\n');
    const inputs = { files: [join(dir, 'transactions.csv')], customerFiles: [join(dir, 'customers.csv')], eventFiles: [events] };
    const options = { skipPatterns: true, skipReport: true, minGroupSize: K };
    runs.duckdb = (await analyze({ ...clickhouseAnalyzeOptions({ db: ':memory:', outDir: join(dir, 'duckdb'), ...options }), ...inputs, keyring })) as unknown as Row;
    cluster = await clickhouseWarehouse('funnel_keys');
    runs.clickhouse = (await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, 'clickhouse'), ...inputs, keyring, ...options })).run as RunSummary as unknown as Row;
  }, 600_000);
  afterAll(() => dropScratchDatabase(cluster));

  describe.each(['duckdb', 'clickhouse'])('on %s', (engine) => {
    it('every funnel group is a group its table lists, and what that table withholds the funnel withholds', () => {
      const run = runs[engine]!;
      for (const { funnel, groups } of tables(run)) {
        const rows: Row[] = run.events.funnels[funnel];
        const unlisted = rows.map((r) => String(r.group)).filter((g) => !groups.has(groupKey(g)) && g !== '(anonymous)' && g !== '(none)');
        expect(unlisted, `${funnel} on ${engine}`).toEqual([]);
        for (const r of rows) if (groups.get(groupKey(String(r.group))) === null) expect(r.people, `${funnel} ${r.group} on ${engine}`).toBeNull();
      }
      // the shop has groups withheld in their own tables
      expect(tables(run).flatMap(({ groups }) => [...groups.values()]).filter((n) => n === null).length).toBeGreaterThan(0);
    });

    it('no withheld count is recovered by subtraction', () => {
      expect(equationsThatDoNotHold(runs[engine]!)).toEqual([]);
      expect(recoverBySubtraction(runs[engine]!)).toEqual([]);
    });
  });
});
