/**
 * The window a campaign evaluation measured, against the window asked for (a QA pass): an evaluation cut short by the
 * end of the data was stored, compared and published as if it covered its whole window (61 days where 31 were
 * measured), and stayed so after the missing month was ingested; a month without any transaction inside the window was
 * silent; a window before a gap said "the campaign has no transactions after it" though the data went on; an evaluation
 * whose window lost an ingest (`ingests drop`) was still shown as it was. Only the audience's lines count: another
 * customer's purchase ingested later does not make it stale (the session's review).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { createRandom } from '../../src/math/random.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describe('the measured window of a campaign evaluation', () => {
  it('stores the days measured, marks an evaluation stale once its window changed, and warns of a month without transactions', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 7) });
    const random = createRandom(5);
    // 2023: a purchase nearly every day (300 customers, 3 orders each)
    const history = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= 300; c++) for (let k = 0; k < 3; k++) history.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${(10 + 30 * random.uniform()).toFixed(2)}`);
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    const ok = async (args: string[]) => {
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(0);
      return run;
    };
    await ok(['ingest', join(dir, 'history.csv'), '--db', db, '--quiet']);
    const draw = async (name: string, sendDate: string) => {
      await ok(['audience', 'create', '--db', db, '--name', name, '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '3', '--send-date', sendDate, '--role', 'admin', '--reveal-ids', '--out', join(dir, `${name}.csv`)]);
      return readFileSync(join(dir, `${name}.csv`), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[2]!);
    };
    // a month of purchases on every day of it, by the members
    const month = (file: string, ids: readonly string[], first: string, days: number) => {
      const lines = ['order_id,customer_id,date,amount'];
      for (const [i, id] of ids.entries()) if (i % 2 === 0) lines.push(`${file}${++order},${id},${day(first, i % days)},20.00`);
      writeFileSync(join(dir, `${file}.csv`), lines.join('\n') + '\n');
      return join(dir, `${file}.csv`);
    };

    // Defect A: evaluated while the data ended on 01-31, compared after February was ingested
    const winter = await draw('winter', '2024-01-01');
    await ok(['ingest', month('jan', winter, '2024-01-01', 31), '--db', db, '--quiet']);
    const cut = await ok(['campaign', 'evaluate', '--db', db, '--audience', 'winter', '--from', '2024-01-01', '--to', '2024-02-29', '--json']);
    const evaluation = JSON.parse(cut.stdout);
    expect(evaluation.window).toEqual({ from: '2024-01-01', to: '2024-01-31', days: 31, requestedTo: '2024-02-29', lines: winter.length / 2 });
    expect(cut.stderr).toContain('the data ends on 2024-01-31, before --to 2024-02-29: the window may be cut short; measured over 2024-01-01 … 2024-01-31 (31 days)');
    const fresh = await ok(['campaign', 'compare', '--db', db, '--json']);
    expect(JSON.parse(fresh.stdout).campaigns[0].stale).toBeUndefined();
    await ok(['ingest', month('feb', winter, '2024-02-01', 29), '--db', db, '--quiet']);
    const compared = await ok(['campaign', 'compare', '--db', db, '--json']);
    const winterKpi = JSON.parse(compared.stdout).campaigns[0];
    expect(winterKpi.window).toEqual({ from: '2024-01-01', to: '2024-01-31', days: 31, requestedTo: '2024-02-29', lines: winter.length / 2 });
    expect(winterKpi.stale).toBe(`measured to 2024-01-31 (the data ended there) of a window asked to 2024-02-29, and the warehouse now holds transactions after 2024-01-31: run clvkit campaign evaluate --audience winter --from 2024-01-01 --to 2024-02-29 --db ${db} again`);
    const text = await ok(['campaign', 'compare', '--db', db]);
    expect(text.stdout).toContain('2024-01-01 … 2024-01-31 (31 of 60 days) ‡');
    expect(text.stdout).toContain('‡ warning: the evaluation of winter is stale: measured to 2024-01-31');
    expect(text.stdout).not.toContain('windows of different lengths');

    // Defect B: a month without any transaction inside the window, and a window wholly inside it
    const spring = await draw('spring', '2024-03-01');
    const april = month('apr', spring, '2024-04-01', 30);
    const march = month('mar', spring, '2024-03-01', 31);
    await ok(['ingest', april, '--db', db, '--quiet']);
    const gap = await ok(['campaign', 'evaluate', '--db', db, '--audience', 'spring', '--from', '2024-03-01', '--to', '2024-04-30', '--json']);
    expect(gap.stderr).toContain('clvkit: warning: no transaction at all from 2024-03-01 to 2024-03-31 (31 days) inside the response window, though the warehouse holds transactions on both sides of it (the longest stretch without one in the year before the send date: ');
    expect(JSON.parse(gap.stdout).window.gaps).toEqual([{ from: '2024-03-01', to: '2024-03-31', days: 31 }]);
    const before = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'spring', '--from', '2024-03-01', '--to', '2024-03-31']);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('clvkit: error: no transactions between 2024-03-01 and 2024-03-31, though the data goes on after them: the warehouse holds none from 2024-03-01 to 2024-03-31 (the last before on 2024-02-29, the next on 2024-04-01)');
    expect(before.stderr).not.toContain('has no transactions after it');

    // an ingest dropped from an evaluated window
    await ok(['ingest', march, '--db', db, '--quiet']);
    await ok(['campaign', 'evaluate', '--db', db, '--audience', 'spring', '--from', '2024-03-01', '--to', '2024-04-30']);
    // a later file of another customer's purchase in the window leaves the audience's figures as they were: not stale
    writeFileSync(join(dir, 'stranger.csv'), 'order_id,customer_id,date,amount\nS1,NEW1,2024-04-10,20.00\n');
    await ok(['ingest', join(dir, 'stranger.csv'), '--db', db, '--quiet']);
    const unchanged = JSON.parse((await ok(['campaign', 'compare', '--db', db, '--json'])).stdout).campaigns.find((c: { audience: string }) => c.audience === 'spring');
    expect(unchanged.stale ?? null).toBe(null);
    const listed = await ok(['ingests', 'list', '--db', db, '--json']);
    const marchIngest = JSON.parse(listed.stdout).find((i: { source: string }) => i.source.endsWith('mar.csv'));
    await ok(['ingests', 'drop', String(marchIngest.ingestId), '--db', db, '--role', 'admin']);
    const dropped = JSON.parse((await ok(['campaign', 'compare', '--db', db, '--json'])).stdout).campaigns.find((c: { audience: string }) => c.audience === 'spring');
    expect(dropped.stale).toBe(`its audience's transaction lines in 2024-03-01 … 2024-04-30 were ${spring.length} when it was evaluated and are ${spring.length / 2} now (an ingest, a dropped ingest, an erasure or retention since): run clvkit campaign evaluate --audience spring --from 2024-03-01 --to 2024-04-30 --db ${db} again`);
  }, 120_000);
});
