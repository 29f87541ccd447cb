import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

/**
 * Storing a campaign evaluation (the one campaign compare, the report and the playbook's measured lift read) needs the
 * `analyze` permission on the CLI as on the API (POST /api/campaigns/:audience): a viewer or marketer is refused (exit
 * 2, one line, nothing stored); `--no-store` computes it without storing it (as GET /api/campaigns/:audience), for any
 * role that may read aggregates.
 */
let db: string;

async function storedEvaluations(): Promise<{ audience: string; to: string }[]> {
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const rows = await warehouse.query("SELECT audience, strftime(window_to, '%Y-%m-%d') AS day FROM campaign_evaluations ORDER BY evaluated_at");
    return rows.map((r) => ({ audience: String(r.audience), to: String(r.day) }));
  } finally {
    await warehouse.close();
  }
}

const evaluate = (...extra: string[]) => cli(['campaign', 'evaluate', '--db', db, '--audience', 'summer', '--from', '2023-07-01', ...extra]);

beforeAll(async () => {
  db = await smallAnalysedShop();
  const created = await cli(['audience', 'create', '--db', db, '--name', 'summer', '--where', 'orders >= 1', '--holdout', '0.3', '--send-date', '2023-07-01']);
  expect(created.code, created.stderr).toBe(0);
}, 120_000);

describe('campaign evaluate stores an evaluation only for a role that may analyze', () => {
  it('an analyst stores the evaluation', async () => {
    const r = await evaluate('--to', '2023-09-30', '--role', 'analyst');
    expect(r.code, r.stderr).toBe(0);
    expect(await storedEvaluations()).toEqual([{ audience: 'summer', to: '2023-09-30' }]);
  });

  it.each(['viewer', 'marketer'])('a %s is refused: one line with a hint, exit 2, the stored evaluation left as it was', async (role) => {
    const r = await evaluate('--to', '2023-07-10', '--role', role);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^clvkit: error: role ${role} may not store a campaign evaluation`));
    expect(r.stderr).toMatch(/--no-store/);
    expect(r.stderr).toMatch(/--role analyst/);
    expect(r.stdout).toBe('');
    expect(await storedEvaluations()).toEqual([{ audience: 'summer', to: '2023-09-30' }]);
  });

  it('--no-store: a viewer computes it, nothing is stored, and the output says so', async () => {
    const r = await evaluate('--to', '2023-07-10', '--role', 'viewer', '--no-store', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.window).toEqual({ from: '2023-07-01', to: '2023-07-10', days: 10, lines: 8 });
    const text = await evaluate('--to', '2023-07-10', '--role', 'viewer', '--no-store');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/not stored \(--no-store\)/);
    expect(await storedEvaluations()).toEqual([{ audience: 'summer', to: '2023-09-30' }]);
  });
});
