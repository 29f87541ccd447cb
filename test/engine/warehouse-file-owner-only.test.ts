import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { withEngineMemoryLimit } from '../../src/ingest/ingest-memory.js';

// Privacy officer's trial (session 40): a warehouse file holds personal data in clear — password hashes (users),
// gender and birth year (customers), search queries (events), user names typed and client addresses (login_attempts)
// — and every column an envelope protects is still a customer's token beside it. The file was made with the
// default mode (0644 under the usual umask): any user of the machine could read it, while its key file beside it is
// 0600. And what an ingest spills (the scratch tables with the ids and contact data in clear, before tokens and
// envelopes) went to `<db>.tmp/`, made 0755 with 0644 files. Both are now the owner's only from the moment they exist.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-owner-only-'));
  chmodSync(dir, 0o755); // a folder others may enter, as a home or project folder usually is
  dirs.push(dir);
  return dir;
};
const mode = (path: string) => statSync(path).mode & 0o777;

/** A scratch table larger than the engine's memory limit: it spills to the temporary directory, as an ingest's does. */
const SPILLING_SCRATCH = "CREATE OR REPLACE TEMP TABLE scratch AS SELECT 'secret-' || range::VARCHAR || repeat('x', 120) AS v FROM range(1500000)";

describe('a warehouse file and its spill folder are the owner’s only', () => {
  it('makes a new warehouse file mode 0600, whatever the umask gives other files', async () => {
    const dir = scratch();
    const db = join(dir, 'shop.duckdb');
    const warehouse = await openDuckDbWarehouse(db);
    try {
      expect(mode(db)).toBe(0o600);
      await warehouse.execute("CREATE TABLE held (email VARCHAR); INSERT INTO held VALUES ('a@b.example'); CHECKPOINT");
      expect(mode(db)).toBe(0o600);
    } finally {
      await warehouse.close();
    }
    expect(mode(db)).toBe(0o600);
  });

  it('leaves the mode of an existing warehouse file as its owner set it', async () => {
    const dir = scratch();
    const db = join(dir, 'shared.duckdb');
    await (await openDuckDbWarehouse(db, { migrate: false })).close();
    chmodSync(db, 0o640); // its owner shares it with a group on purpose
    await (await openDuckDbWarehouse(db, { migrate: false })).close();
    expect(mode(db)).toBe(0o640);
  });

  it('spills into <db>.tmp made 0700, and removes the folder when the warehouse closes', async () => {
    const dir = scratch();
    const db = join(dir, 'spill.duckdb');
    const warehouse = await openDuckDbWarehouse(db, { migrate: false, memoryLimit: '64MB', threads: 1 });
    try {
      await warehouse.execute(SPILLING_SCRATCH);
      expect(await warehouse.query('SELECT count(*) AS n FROM scratch')).toEqual([{ n: 1500000 }]);
      const spill = `${db}.tmp`;
      expect(existsSync(spill)).toBe(true);
      expect(mode(spill)).toBe(0o700);
    } finally {
      await warehouse.close();
    }
    expect(readdirSync(dir).sort()).toEqual(['spill.duckdb']);
  });

  it('makes an in-memory warehouse’s spill folder under the system temp 0700, and removes it when the warehouse closes', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false, threads: 1 });
    let spill = '';
    try {
      await withEngineMemoryLimit(warehouse, 64 * 1024 * 1024, async () => {
        await warehouse.execute(SPILLING_SCRATCH);
        spill = String((await warehouse.query("SELECT current_setting('temp_directory') AS d"))[0]!.d);
        expect(spill.startsWith(join(tmpdir(), 'clvkit-duckdb-'))).toBe(true);
        expect(existsSync(spill)).toBe(true);
        expect(mode(spill)).toBe(0o700);
      });
    } finally {
      await warehouse.close();
    }
    expect(existsSync(spill)).toBe(false);
  });

  it('takes back a spill folder a crashed run of its owner left readable by others', async () => {
    const dir = scratch();
    const db = join(dir, 'crashed.duckdb');
    mkdirSync(`${db}.tmp`, { mode: 0o755 });
    chmodSync(`${db}.tmp`, 0o755);
    const warehouse = await openDuckDbWarehouse(db, { migrate: false });
    try {
      expect(mode(`${db}.tmp`)).toBe(0o700);
    } finally {
      await warehouse.close();
    }
  });
});
