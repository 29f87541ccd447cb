/**
 * Key rotation on a ClickHouse cluster beside an ingest copy held between
 * its staging and its attach (the envelopes it staged under the old key land
 * after the re-encryption: a mutation does not reach parts attached after
 * it). It used to fail with a stack trace, or retire the key they are under,
 * leaving envelopes nothing can decrypt; it now re-encrypts in rounds, waits
 * for running copies, and refuses to retire a key still in use.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { initKeyFile, readKeyFile } from '../../../src/privacy/keys/key-file.js';
import type { Keyring } from '../../../src/privacy/keys/keyring.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { rotateWarehouseKeyOnClickHouse } from '../../../src/privacy/warehouse/rotate-warehouse-key-on-clickhouse.js';
import { countEnvelopesByKey } from '../../../src/privacy/warehouse/rotate-warehouse-key.js';
import { verifyWarehouseAudit } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { besideCopy, fileIn } from '../../helpers/beside-copy.js';

const now = new Date('2024-01-01T00:00:00Z');

describe.skipIf(!CLICKHOUSE_URL)(`key rotation beside an ingest copy${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const dir = scratchDir();
  const keyFile = join(dir, 'keys.json');
  let keyring: Keyring;
  const file = fileIn(dir);
  const count = async (sql: string) => Number((await cluster.query(sql))[0]!.n);

  beforeAll(async () => {
    keyring = initKeyFile(keyFile, { key: Buffer.alloc(32, 9) });
    cluster = await clickhouseWarehouse('rotation_beside_copy');
    await ingestFilesToClickHouse(cluster, [file('first.csv', 'customer_id,date,amount\nA,2023-06-01,12\nD,2023-05-01,7\n')], { keyring, now });
  });
  afterAll(() => dropScratchDatabase(cluster));

  it('key rotation with --retire-old beside a copy that attaches envelopes under the old key re-encrypts them too, then retires the old key', async () => {
    const second = await rotateWarehouseKeyOnClickHouse(cluster, { keyring, role: 'admin' }); // k2 active, k1 the root
    const old = second.activeKeyId;
    const held = file('third.csv', 'customer_id,date,amount\nE,2023-07-01,8\nF,2023-07-02,9\n');
    const { report, running } = await besideCopy(cluster, held, second.keyring, now, 'customer_reid', 'first-change', () =>
      rotateWarehouseKeyOnClickHouse(cluster, { keyring: second.keyring, role: 'admin', retireOld: true, copyWaitSeconds: 60 }),
    );
    const third = await running;
    expect(report.accepted).toBe(2);
    expect(third.retired).toEqual([old]);
    expect(readKeyFile(keyFile).keyIds()).not.toContain(old);
    const reid = await count('SELECT count(*) AS n FROM customer_reid');
    expect(reid).toBe(4); // A, D, E, F
    const envelopes = await countEnvelopesByKey(cluster);
    expect(Object.keys(envelopes)).toEqual([third.activeKeyId]); // E's and F's too: none under the retired key
    expect(envelopes[third.activeKeyId]).toBeGreaterThanOrEqual(reid);
    expect(await verifyWarehouseAudit(cluster, third.keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 240_000);

  it('key rotation with --retire-old refuses to retire while a copy still running may attach envelopes under the old key, audited, one line with a hint', async () => {
    const keys = readKeyFile(keyFile);
    const old = keys.activeKeyId;
    const held = file('fourth.csv', 'customer_id,date,amount\nG,2023-08-01,8\n');
    // the rotation runs whole while the copy waits before its attach, and waits 1 s for it
    const { running } = await besideCopy(cluster, held, keys, now, 'customer_reid', 'end', () => rotateWarehouseKeyOnClickHouse(cluster, { keyring: keys, role: 'admin', retireOld: true, copyWaitSeconds: 1 }));
    const failure = await running.then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(/^rotated to key k[0-9a-f]{10} and re-encrypted \d+ values \(audited\), but retired no key: ingest copy \d+ still ran after the wait/);
    expect((failure as UserError).hint).toMatch(/keys rotate --retire-old again/);
    const now3 = readKeyFile(keyFile);
    expect(now3.keyIds()).toContain(old); // G's envelope, attached under it after the rotation, still decrypts
    expect((await countEnvelopesByKey(cluster))[old]).toBe(1);
    const [entry] = await cluster.query("SELECT details FROM audit_log WHERE action = 'rotate_keys' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.details))).toMatchObject({ retired: [], copies_still_running: [expect.any(Number)] });
    // once the copy has ended, the same command re-encrypts G's envelope and retires the old key
    const again = await rotateWarehouseKeyOnClickHouse(cluster, { keyring: now3, role: 'admin', retireOld: true });
    expect(again.retired).toContain(old);
    expect(Object.keys(await countEnvelopesByKey(cluster))).toEqual([again.activeKeyId]);
  }, 240_000);
  it('an ingest whose key file was read before a rotation retired its active key is refused with one line, and nothing of its file lands', async () => {
    const second = await rotateWarehouseKeyOnClickHouse(cluster, { keyring: readKeyFile(keyFile), role: 'admin' }); // k2 active
    const stale = second.keyring; // an ingest read the key file now
    const third = await rotateWarehouseKeyOnClickHouse(cluster, { keyring: stale, role: 'admin', retireOld: true, copyWaitSeconds: 1 });
    expect(third.retired).toContain(second.activeKeyId);
    const before = await count('SELECT count(*) AS n FROM transactions');
    const failure = await ingestFilesToClickHouse(cluster, [file('stale-key.csv', 'customer_id,date,amount\nS,2023-07-05,3\n')], { keyring: stale, now }).then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe(`ingest into ClickHouse: key ${second.activeKeyId}, the active key of the key file read at the start, was retired by a key rotation since; nothing of this file was added`);
    expect((failure as UserError).hint).toMatch(/re-run the ingest/);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before);
    expect((await countEnvelopesByKey(cluster))[second.activeKeyId]).toBeUndefined(); // nothing under the retired key
    // re-run with the key file as it is now: the file lands
    expect((await ingestFilesToClickHouse(cluster, [file('stale-key.csv', 'customer_id,date,amount\nS,2023-07-05,3\n')], { keyring: readKeyFile(keyFile), now })).accepted).toBe(1);
  }, 240_000);
});
