/**
 * A customer erased while an analysis ran is not in the counts the run
 * publishes. Before, the run removed the customer's rows from its tables and
 * lines from its files (erased-during-run.ts) but run.json and the report
 * still counted them — headline customers, per-segment, per-tier and
 * per-stage counts, the value sums — so the run's numbers, against a run
 * made after, told the erased customer's segment and value. Now the run,
 * having found them, computes its results again on the warehouse without them
 * and publishes those: the same numbers a run started after the erasure
 * publishes.
 *
 * On DuckDB no erasure runs beside an analysis (one writer per file); the
 * erasure is recorded from inside the run here, as a cluster's erase beside
 * it records it (erased-during-analysis-stays-erased.test.ts has the cluster).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordErasedTokens } from '../../../src/engine/erased-customers.js';
import { runAnalysis } from '../../../src/pipeline/analyze.js';
import { scoreWarehouse } from '../../../src/pipeline/score-warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { resolveAccess } from '../../../src/privacy/access/access.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 73), { source: 'memory' });
const pseudonymise = createPseudonymiser(keyring);

/** The parts of run.json that count customers or sum their value. */
const AGGREGATES = ['warehouse', 'headline', 'valueModel', 'segments', 'patterns', 'events', 'prospects', 'campaigns'] as const;
/**
 * Without timings, the run's folder as OUT, numbers to 10 significant digits (DuckDB's parallel sums may add in
 * another order from one run to the next).
 */
const aggregatesOf = (runJson: string, outDir: string): Record<string, unknown> => {
  const run = JSON.parse(readFileSync(runJson, 'utf8'), (key, value: unknown) =>
    key === 'timingsMs' ? undefined : typeof value === 'number' ? Number(value.toPrecision(10)) : typeof value === 'string' ? value.replaceAll(outDir, 'OUT') : value,
  );
  return { ...Object.fromEntries(AGGREGATES.map((key) => [key, run[key] ?? null])), suppressed: run.privacy.suppressed };
};

/** Report sections that differ between a run that ingested the file and one that did not, whoever was erased: the data read, the held tables' row counts (the audit log's), the run's settings and timings. */
const DIFFERS_BY_RUN = ['data-quality', 'privacy', 'run'];

/**
 * Makes every statement of `warehouse` wait for `gate.pending` first, so that an erasure set there lands between two
 * statements of a run; `gate.execute` runs one without waiting, `gate.restore()` ends the gating.
 */
const gateStatements = (warehouse: Awaited<ReturnType<typeof memoryWarehouse>>) => {
  const [execute, query] = [warehouse.execute.bind(warehouse), warehouse.query.bind(warehouse)];
  const gate = { pending: Promise.resolve() as Promise<unknown>, execute, restore: () => Object.assign(warehouse, { execute, query }) };
  warehouse.execute = async (sql) => (await gate.pending, execute(sql));
  warehouse.query = async (sql) => (await gate.pending, query(sql));
  return gate;
};

describe('a customer erased while a run went on is not in its counts', () => {
  it('run.json and the report publish what a run after the erasure publishes: headline, segments, tiers, stages, value model, cross-sell', async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 60, seed: 17, products: 20 });
    const transactions = join(dir, 'transactions.csv');
    const id = readFileSync(transactions, 'utf8').split('\n')[1]!.split(',')[1]!;
    const token = pseudonymise(id);
    const warehouse = await memoryWarehouse(1);
    try {
      // the erasure is recorded once customers.csv is written, before the swap; the run's next statement waits for it
      const gate = gateStatements(warehouse);
      const during = join(dir, 'during');
      mkdirSync(during);
      let erasedOnce = false;
      const ended: string[] = [];
      const run = await runAnalysis(warehouse, {
        db: ':memory:',
        outDir: during,
        files: [transactions],
        keyring,
        skipChurn: true,
        onProgress: (event) => {
          if (event.phase === 'end') ended.push(event.step);
          if (event.step === 'publish' && event.phase === 'end' && !erasedOnce) {
            erasedOnce = true;
            gate.pending = recordErasedTokens(warehouse, [token], new Date());
          }
        },
      });
      gate.restore();
      // the stages after the ingest ran again, and their progress says so
      const once = ['ingest', 'summary', 'value', 'segments', 'lifecycle', 'events', 'cross-sell', 'publish', 'report'];
      expect(ended).toEqual([...once, ...once.slice(1).map((step) => `${step} (again)`)]);
      const counted = aggregatesOf(run.outputs.runJson, during);
      expect((counted.headline as { customers: number }).customers).toBe(59);
      expect(readFileSync(run.outputs.customersCsv, 'utf8').trim().split('\n')).toHaveLength(1 + 59);
      expect(run.warnings.filter((w) => w.includes('erased while the run went on'))).toEqual([
        '1 customer erased while the run went on: removed from its results (7 rows in 7 tables, customers.csv 1 line, recommendations.csv 10 lines); its counts and models computed again without them',
      ]);
      // a run started after the erasure, on the same warehouse: the same numbers, group by group
      const after = join(dir, 'after');
      mkdirSync(after);
      const again = await runAnalysis(warehouse, { db: ':memory:', outDir: after, keyring, skipChurn: true });
      expect(again.warnings.filter((w) => w.includes('erased'))).toEqual([]);
      expect(counted).toEqual(aggregatesOf(again.outputs.runJson, after));
      // the report is the recomputed run's: every section that counts customers or sums their value as the later run's
      const sections = (html: string) => new Map([...html.matchAll(/<section class="report-section" id="([^"]+)">(.*?)<\/section>/gs)].map((m) => [m[1]!, m[2]!]));
      const [reported, reportedAfter] = [sections(readFileSync(run.outputs.reportHtml!, 'utf8')), sections(readFileSync(again.outputs.reportHtml!, 'utf8'))];
      const differing = [...reported.keys()].filter((id) => reported.get(id) !== reportedAfter.get(id));
      expect(differing).toEqual(DIFFERS_BY_RUN);
      expect([...reported.keys()].length).toBeGreaterThan(DIFFERS_BY_RUN.length + 4);
      expect(reported.get('value')).toContain('<div class="kpi-note">59 customers</div>');
    } finally {
      await warehouse.close();
    }
  }, 300_000);

  it("the scoring before an audience (scoreWarehouse) writes the tables a scoring after the erasure writes: others' tiers and RFM scores without them", async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 60, seed: 17, products: 20 });
    const transactions = join(dir, 'transactions.csv');
    const token = pseudonymise(readFileSync(transactions, 'utf8').split('\n')[1]!.split(',')[1]!);
    const warehouse = await memoryWarehouse(1);
    try {
      await ingestFiles(warehouse, [transactions], { keyring });
      const access = resolveAccess({ actor: 'test', role: 'admin' });
      const gate = gateStatements(warehouse);
      let erasedOnce = false;
      const scored = await scoreWarehouse(warehouse, {
        keyring,
        access,
        minGroupSize: 5,
        onProgress: (event) => {
          if (event.step === 'lifecycle' && event.phase === 'end' && !erasedOnce) {
            erasedOnce = true;
            // an erasure of the input rows (the run's staged tables keep theirs: on a cluster, a row the run appends after)
            gate.pending = recordErasedTokens(warehouse, [token], new Date()).then(async () => {
              for (const table of ['transactions', 'customer_reid']) await gate.execute(`DELETE FROM ${table} WHERE customer_id = '${token}'`); // not waiting for itself
            });
          }
        },
      });
      gate.restore();
      const rows = async () => ({
        tiers: await warehouse.query('SELECT customer_id, value_rank, value_tier, value_quadrant FROM customer_value_tiers ORDER BY customer_id'),
        rfm: await warehouse.query('SELECT customer_id, r_score, f_score, m_score, segment FROM customer_rfm ORDER BY customer_id'),
      });
      const written = await rows();
      expect(written.tiers).toHaveLength(59);
      expect(written.tiers.map((r) => r.customer_id)).not.toContain(token);
      const again = await scoreWarehouse(warehouse, { keyring, access, minGroupSize: 5 });
      expect(again.warnings.filter((w) => w.includes('erased'))).toEqual([]);
      expect(written).toEqual(await rows());
      expect(scored.warnings.filter((w) => w.includes('erased'))).toEqual(['1 customer erased while the run went on: removed from its results (8 rows in 8 tables); its counts and models computed again without them']);
    } finally {
      await warehouse.close();
    }
  }, 300_000);

  it('a customer erased during every pass: computed again twice, then the run says its counts still include the last one', async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 60, seed: 17, products: 20 });
    const transactions = join(dir, 'transactions.csv');
    const ids = [...new Set(readFileSync(transactions, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[1]!))];
    const warehouse = await memoryWarehouse(1);
    try {
      const gate = gateStatements(warehouse);
      const out = join(dir, 'run');
      mkdirSync(out);
      let passes = 0;
      const run = await runAnalysis(warehouse, {
        db: ':memory:',
        outDir: out,
        files: [transactions],
        keyring,
        skipChurn: true,
        skipReport: true,
        skipPatterns: true,
        onProgress: (event) => {
          // each pass's customers.csv is written, then another customer is erased
          if (event.step.startsWith('publish') && event.phase === 'end') gate.pending = recordErasedTokens(warehouse, [pseudonymise(ids[passes++]!)], new Date());
        },
      });
      gate.restore();
      expect(passes).toBe(3);
      expect(run.warnings.filter((w) => w.includes('erased while the run went on'))).toEqual([
        '1 customer erased while the run went on: removed from its results (7 rows in 7 tables, customers.csv 1 line); its counts and models computed again without them',
        '1 customer erased while the run went on: removed from its results (7 rows in 7 tables, customers.csv 1 line); its counts and models computed again without them',
        '1 customer erased while the run went on: removed from its results (7 rows in 7 tables, customers.csv 1 line); its counts and models still include them (erased while they were computed again 2 times): run the analysis again',
      ]);
      // the first two are out of the counts, the last is out of the tables and files only
      expect(run.headline.customers).toBe(58);
      expect(readFileSync(run.outputs.customersCsv, 'utf8').trim().split('\n')).toHaveLength(1 + 57);
    } finally {
      await warehouse.close();
    }
  }, 300_000);
});
