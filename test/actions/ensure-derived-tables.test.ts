import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAudience } from '../../src/actions/create-audience.js';
import { parsePlaybook } from '../../src/actions/playbook.js';
import { runPlaybook } from '../../src/actions/run-playbook.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { createRandom } from '../../src/math/random.js';
import { scoreWarehouse } from '../../src/pipeline/score-warehouse.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const access = { actor: 'test', role: 'analyst' } as const;

describe('an audience on a warehouse that was ingested but never analysed', () => {
  const scratch = useScratchWarehouse();

  /**
   * 120 customers with 1 to many orders in 2023, each at a rate of their own (gamma-distributed): a shop whose BG/NBD
   * fit does not show every customer buying at one steady rate, so the scoring runs no MBG/CNBD-k tournament. The
   * shop's shape is not what these tests are about; its former orders (1–4 each, on evenly spread days) ran that
   * tournament, 12 of the file's 15 CPU s.
   */
  async function ingestShop(): Promise<void> {
    const random = createRandom(5);
    const lines = ['customer_id,date,amount'];
    for (let c = 1; c <= 120; c++) {
      for (let k = 1 + random.poisson(random.gamma(0.6, 4)); k > 0; k--) lines.push(`K${c},2023-${String(1 + random.integer(12)).padStart(2, '0')}-${String(1 + random.integer(28)).padStart(2, '0')},${10 + random.integer(9)}`);
    }
    writeFileSync(join(scratch.dir, 'orders.csv'), lines.join('\n') + '\n');
    await ingestFiles(scratch.warehouse, [join(scratch.dir, 'orders.csv')]);
  }

  it('is refused with a hint when the caller gives no scoring function (the library never reaches up into the pipeline)', async () => {
    await ingestShop();
    const attempt = createAudience(scratch.warehouse, { name: 'a', where: "stage = 'active'", holdout: 0.2, seed: 1, keyring: null, access, minGroupSize: 5 });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(/has no customer_summary.*customer_stages yet/);
  });

  it('is scored first with the scoring function the caller passes, and says so', async () => {
    await ingestShop();
    const notes: string[] = [];
    const summary = await createAudience(scratch.warehouse, {
      name: 'a', where: "stage IS NOT NULL", holdout: 0.2, seed: 1, keyring: null, access, minGroupSize: 5,
      onNote: (line) => notes.push(line),
      score: (w) => scoreWarehouse(w, { keyring: null, access, minGroupSize: 5 }),
    });
    expect(notes.some((n) => n.includes('running the analysis stages'))).toBe(true);
    expect(summary.members).toBe(120);
  });

  // Regression: the refusal said '--where reads …' to an API client (where) and to a playbook's user, whose filter
  // is a play's where; the hints named clvkit commands and the warehouse's file to the API's client.
  it('a table the analysis did not write is refused naming the filter that reads it: --where, the API\'s where, or the play', async () => {
    await ingestShop();
    const wrote = { name: '', notes: [] as string[] };
    const options = (api: boolean) => ({ holdout: 0.2, seed: 1, keyring: null, access, minGroupSize: 5, api, onNote: (line: string) => wrote.notes.push(line), score: async () => ({ warnings: ['nothing was written'] }) });
    const refusal = async (attempt: Promise<unknown>) => {
      try {
        await attempt;
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as UserError).message;
      }
      throw new Error('no refusal');
    };
    const reads = 'reads customer_summary (the summary stage), customer_stages (the lifecycle stage), which the analysis did not write: nothing was written';
    expect(await refusal(createAudience(scratch.warehouse, { name: 'a', where: "stage = 'new'", ...options(false) }))).toBe(`--where ${reads}`);
    expect(await refusal(createAudience(scratch.warehouse, { name: 'a', where: "stage = 'new'", ...options(true) }))).toBe(`where ${reads}`);
    const playbook = parsePlaybook({ plays: [{ name: 'everyone', where: 'TRUE', costPerContact: 1, expectedLift: 0.1 }, { name: 'new', where: "stage = 'new'", costPerContact: 1, expectedLift: 0.1 }] }, 'mine.json');
    expect(await refusal(runPlaybook(scratch.warehouse, { playbook, outDir: join(scratch.dir, 'plan'), ...options(true) }))).toBe(`playbook mine.json play new where ${reads}`);
    // the note that the warehouse is scored first: the CLI's analyze --db, not named to the API's client
    expect(wrote.notes.filter((n) => n.startsWith('the warehouse has no'))).toEqual([
      'the warehouse has no customer_summary, customer_stages yet: running the analysis stages of analyze --db (summary, value models, churn, segments, lifecycle, events) into it first',
      'the warehouse has no customer_summary, customer_stages yet: running the analysis stages (summary, value models, churn, segments, lifecycle, events) into it first',
      'the warehouse has no customer_summary, customer_stages yet: running the analysis stages (summary, value models, churn, segments, lifecycle, events) into it first',
    ]);
  });

  it('a warehouse without transactions is refused with the CLI\'s ingest and the file, or to the API\'s client with its route and without the file', async () => {
    const attempt = (api: boolean) => createAudience(scratch.warehouse, { name: 'a', where: "stage = 'new'", holdout: 0.2, seed: 1, keyring: null, access, minGroupSize: 5, api });
    await expect(attempt(false)).rejects.toMatchObject({ message: 'the warehouse :memory: holds no transactions', hint: 'ingest them first: clvkit ingest <file> --db PATH' });
    await expect(attempt(true)).rejects.toMatchObject({ message: 'the warehouse holds no transactions', hint: 'send orders first: POST /api/orders' });
  });
});
