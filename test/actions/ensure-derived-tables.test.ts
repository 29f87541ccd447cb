import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAudience } from '../../src/actions/create-audience.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { scoreWarehouse } from '../../src/pipeline/score-warehouse.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const access = { actor: 'test', role: 'analyst' } as const;

describe('an audience on a warehouse that was ingested but never analysed', () => {
  const scratch = useScratchWarehouse();

  async function ingestShop(): Promise<void> {
    const lines = ['customer_id,date,amount'];
    for (let c = 1; c <= 120; c++) for (let k = 0; k <= c % 4; k++) lines.push(`K${c},2023-${String(1 + ((c + 5 * k) % 12)).padStart(2, '0')}-${String(1 + ((c * 7 + k) % 28)).padStart(2, '0')},${10 + (c % 9)}`);
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
});
