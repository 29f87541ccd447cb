/**
 * The uplift learners' training/validation split and the audience's control draw both shuffled the sorted member
 * tokens with the seeded generator: with the same seed (the playbook passes its one --seed to both, default 1) the
 * validation half began with the control group, and with a holdout below ½ the training half had no control customer.
 * A user trial's playbook --budget tried five past campaigns and learnt from none: 'the training half of
 * playbook-2024-05-01-last-offer has 992 treated and 0 control customers'. The split is now made within each group.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describe('campaign uplift-model splits each group in halves', () => {
  it('on an audience drawn with the same seed: half the treated and half the control customers train, half validate', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) });
    const random = createRandom(3);
    const history = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= 400; c++) for (let k = 0; k < 1 + random.integer(4); k++) history.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'past', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '1', '--send-date', '2024-01-01']);
    expect(drawn.code, drawn.stderr).toBe(0);
    const january = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 400; c++) if (random.uniform() < 0.3) january.push(`J${++order},K${c},${day('2024-01-01', random.integer(31))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    writeFileSync(join(dir, 'january.csv'), january.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'january.csv'), '--db', db])).code).toBe(0);

    const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '1', '--json']);
    // it was: the training half of past has 200 treated and 0 control customers, fewer than 5
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.validation).toEqual({ treatment: 140, control: 60 });
    expect(report.train).toEqual({ treatment: 140, control: 60 });
  }, 120_000);
});
