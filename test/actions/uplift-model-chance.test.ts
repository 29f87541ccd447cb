/**
 * campaign uplift-model and playbook --budget took the better learner as better than random targeting whenever its
 * Qini area on the validation half was above 0: on a campaign with no uplift at all that is luck about half the time,
 * and the budget then targeted by noise. The better learner must now beat shuffled scores (p < 0.05).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describe('an uplift model is used only when its Qini area beats chance', () => {
  it('no uplift planted: area above 0 on the validation half, not chosen, and it says why', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) });
    const random = createRandom(3);
    const history = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= 400; c++) for (let k = 0; k < 1 + random.integer(4); k++) history.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    expect((await cli(['audience', 'create', '--db', db, '--name', 'past', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '1', '--send-date', '2024-01-01'])).code).toBe(0);
    // January: 30% buy, treated or not
    const january = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 400; c++) if (random.uniform() < 0.3) january.push(`J${++order},K${c},${day('2024-01-01', random.integer(31))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    writeFileSync(join(dir, 'january.csv'), january.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'january.csv'), '--db', db])).code).toBe(0);
    const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    // the old rule: area 0.20 > 0, so transformed-outcome was 'better than random targeting'
    const best = report.learners.find((l: { learner: string }) => l.learner === 'transformed-outcome');
    expect(best.qini.area).toBeCloseTo(0.196, 3);
    expect(best.qiniPValue).toBeCloseTo(0.469, 3);
    expect(report.qiniTest).toEqual({ test: 'permutation', permutations: 999, pValue: 0.541, alpha: 0.05 });
    expect(report.chosen).toBeNull();
    expect(report.reason).toBe('neither learner ranks the validation members better than random targeting by more than chance: the better, transformed-outcome, has Qini coefficient 0.027, area 0.20, p = 0.541 against 999 shuffles of its scores (random scores do as well that often; p < 0.05 needed): keep targeting by value × P(alive) (predicted CLV)');
    const human = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '2']);
    expect(human.stdout).toMatch(/ {2}transformed-outcome {2}Qini coefficient 0\.027, area 0\.20, p = 0\.469\n/);
    expect(human.stdout).toMatch(/ {2}the better learner against 999 shuffles of the scores \(both learners alike\): p = 0\.541 \(used below 0\.05\)\n/);
  }, 120_000);
});
