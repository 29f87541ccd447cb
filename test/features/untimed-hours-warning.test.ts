import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { untimedHoursWarning } from '../../src/features/untimed-hours-warning.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { scratchDir, useScratchWarehouse } from '../helpers/warehouse.js';
import { cli } from '../helpers/cli.js';

// Regression: `--time-unit hour` on dates without a time of day (every purchase at 00:00) counted recency and T in
// hours that are whole days (steps of 24) and said nothing, whereas `--grain order` on such dates warns
// (order-grain-warning.ts). analyze, validate and summarize now say that the hours are days.
describe('untimedHoursWarning (--time-unit hour on dates without a time of day)', () => {
  const scratch = useScratchWarehouse();
  const ingest = async (lines: readonly string[]) => {
    const path = join(scratch.dir, 'log.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z') });
  };

  it('on dates only: says the hours are whole days, and names --time-unit day', async () => {
    await ingest(['customer_id,date', 'a,2024-01-03', 'a,2024-02-03', 'b,2024-01-04']);
    expect(await untimedHoursWarning(scratch.warehouse, 'hour')).toBe(
      '--time-unit hour counts time in hours, but the dates have no time of day (every purchase at 00:00), so the hours add nothing to days: recency and T move in steps of 24 and the purchases of a day are one occasion, as with --time-unit day; pass --time-unit day, or export the purchase times',
    );
    expect(await untimedHoursWarning(scratch.warehouse, 'day')).toBeNull();
    expect(await untimedHoursWarning(scratch.warehouse, 'week')).toBeNull();
  });

  it('says nothing when some purchase has a time of day', async () => {
    await ingest(['customer_id,date', 'a,2024-01-03 10:15:00', 'a,2024-02-03', 'b,2024-01-04']);
    expect(await untimedHoursWarning(scratch.warehouse, 'hour')).toBeNull();
  });
});

/** 80 customers buying on 1 to 4 dates of 2023, dates only. */
function writeDatedLog(): string {
  const lines = ['customer_id,date'];
  for (let i = 0; i < 80; i++) for (let k = 0; k < 1 + (i % 4); k++) lines.push(`c${i},2023-${String(1 + ((i + 3 * k) % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`);
  const path = join(scratchDir(), 'dated.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('analyze, summarize and validate --time-unit hour on dates without a time of day', () => {
  it('analyze warns in its summary (stdout)', async () => {
    const path = writeDatedLog();
    const run = await cli(['analyze', path, '--time-unit', 'hour', '--skip-models', '--skip-patterns', '--skip-report', '--out', join(scratchDir(), 'out')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^  warning    --time-unit hour counts time in hours, but the dates have no time of day/m);
  });

  it('summarize warns on stderr', async () => {
    const run = await cli(['summarize', writeDatedLog(), '--time-unit', 'hour', '--out', join(scratchDir(), 'summary.csv')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('clvkit: warning: --time-unit hour counts time in hours, but the dates have no time of day');
  });

  it('validate warns on stderr and in the JSON warnings', async () => {
    const path = writeDatedLog();
    const run = await cli(['validate', path, '--calibration-end', '2023-08-31', '--time-unit', 'hour', '--json', '--no-learned']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('clvkit: warning: --time-unit hour counts time in hours, but the dates have no time of day');
    expect((JSON.parse(run.stdout) as { warnings: string[] }).warnings.some((w) => w.startsWith('--time-unit hour counts time in hours'))).toBe(true);
  });
});
