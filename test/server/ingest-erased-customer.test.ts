/**
 * A batch sent to the API holding rows of an erased customer. The file
 * ingest refuses such a file whole (an explicit decision to readmit is
 * asked for); on the API that refusal failed the group, the queue set the
 * batch aside: the other customers' rows were lost, `ingest_batches` said
 * received 3 = accepted 0 + quarantined 0, and `failed/<batch>.ndjson` kept
 * every line — the erased customer's raw id with them — unencrypted. The
 * API now loads the batch without the erased customer's rows: each is
 * quarantined as `erased_customer` with nothing of it kept (no text, no
 * token, no date), so received = accepted + quarantined still adds up.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomers } from '../../src/privacy/warehouse/erase-customers.js';
import { eraseCustomersOnClickHouse } from '../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { applyIngestedFile } from '../../src/server/ingest/apply-ingested-file.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openTestServer, type TestServer } from './server-fixture.js';

const event = (id: string, minute: number) => JSON.stringify({ customer_id: id, ts: `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`, type: 'view', product_id: 'P1' });

describe('POST /api/events with rows of an erased customer', () => {
  let server: TestServer;
  let token: string;
  let admin: { cookie: string };
  const walDir = mkdtempSync(join(tmpdir(), 'clvkit-wal-erased-'));
  beforeAll(async () => {
    server = await openTestServer({ walDir });
    token = await server.token('analyst');
    admin = await server.login('admin');
  });
  afterAll(async () => server.close());

  const post = async (lines: readonly string[]) => {
    const response = await server.app.inject({ method: 'POST', url: '/api/events', payload: lines.join('\n'), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } });
    expect(response.statusCode, response.body).toBe(202);
    return (response.json() as { batchId: string }).batchId;
  };
  // the count waits until every batch acknowledged before it is applied (or set aside)
  const drain = async () => expect((await server.app.inject({ method: 'GET', url: '/api/events/count?prefix=x', headers: { cookie: admin.cookie } })).statusCode).toBe(200);
  const status = async () => (await server.app.inject({ method: 'GET', url: '/api/ingest/status', headers: { authorization: `Bearer ${token}` } })).json() as { failedGroups: number; unrecordedGroups: unknown[] };

  it("loads the other customers' rows; the erased customer's row is counted as quarantined (erased_customer) with nothing of it kept, and nothing is set aside", async () => {
    await post([event('alice-secret', 1), event('bob', 2)]);
    await drain();
    await eraseCustomers(server.context.warehouse, ['alice-secret'], { keyring: server.context.keyring, role: 'admin' });
    const batchId = await post([event('alice-secret', 3), event('carol', 4), event('dave', 5)]);
    await drain();
    const wh = server.context.warehouse;
    expect(Number((await wh.query('SELECT count(*) AS n FROM events'))[0]!.n)).toBe(3); // bob, carol, dave
    const [batch] = await wh.query(`SELECT accepted, quarantined FROM ingest_batches WHERE batch_id = '${batchId}'`);
    expect([Number(batch!.accepted), Number(batch!.quarantined)]).toEqual([2, 1]);
    const quarantined = await wh.query("SELECT line, raw, detail, customer_id, ts, reason FROM quarantine WHERE reason = 'erased_customer'");
    expect(quarantined).toEqual([{ line: 1, raw: null, detail: null, customer_id: null, ts: null, reason: 'erased_customer' }]);
    const tokenOf = createPseudonymiser(server.context.keyring);
    expect(Number((await wh.query(`SELECT count(*) AS n FROM customer_reid WHERE customer_id = '${tokenOf('alice-secret')}'`))[0]!.n)).toBe(0);
    // nothing set aside: no failed/ file holds the batch's lines
    expect(existsSync(join(walDir, 'failed')) ? readdirSync(join(walDir, 'failed')) : []).toEqual([]);
    expect((await status()).failedGroups).toBe(0);
    expect((await status()).unrecordedGroups).toEqual([]); // the status route serialises the groups left in the log
    const [entry] = await wh.query("SELECT row_counts FROM audit_log WHERE action = 'ingest' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.row_counts))).toMatchObject({ rows_read: 3, events: 2, quarantine: 1 });
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`the API's ingest into ClickHouse with rows of an erased customer${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(Buffer.alloc(32, 21), { source: 'memory' });
  const tokenOf = createPseudonymiser(keyring);
  const dir = scratchDir();
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('api_erased');
  });
  afterAll(() => dropScratchDatabase(cluster));
  const count = async (sql: string) => Number((await cluster.query(sql))[0]!.n);
  /** a group's file applied as the server applies it on ClickHouse */
  const apply = (name: string, lines: readonly string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return applyIngestedFile((paths, o) => ingestFilesToClickHouse(cluster, paths, o), path, { kind: 'events', actor: 'machine', role: 'analyst' }, keyring);
  };

  it("erased before: the group is loaded without the erased customer's row (quarantined as erased_customer, nothing of it kept)", async () => {
    await apply('api-events-b1-b1.ndjson', [event('alice-secret', 1), event('bob', 2)]);
    await eraseCustomersOnClickHouse(cluster, ['alice-secret'], { keyring, role: 'admin' });
    const { ingestId, report } = await apply('api-events-b2-b2.ndjson', [event('alice-secret', 3), event('carol', 4), event('dave', 5)]);
    expect(report).toMatchObject({ rowsRead: 3, accepted: 2, quarantined: 1, rules: { erased_customer: 1 } });
    expect(await count(`SELECT count(*) AS n FROM events WHERE ingest_id = ${ingestId}`)).toBe(2);
    expect(await cluster.query(`SELECT line, raw, detail, customer_id, reason FROM quarantine WHERE ingest_id = ${ingestId}`)).toEqual([{ line: 1, raw: null, detail: null, customer_id: null, reason: 'erased_customer' }]);
    expect(await count(`SELECT count(*) AS n FROM customer_reid WHERE customer_id = '${tokenOf('alice-secret')}'`)).toBe(0);
  }, 240_000);

  it("erased after the group was read and before its copy: the copy leaves the erased customer's rows out (counted as erased meanwhile) instead of failing the group", async () => {
    await apply('api-events-b3-b3.ndjson', [event('erin', 1)]);
    const append = cluster.append.bind(cluster);
    let erased = false;
    cluster.append = async (table, columns) => {
      if (!erased && table === 'ingest_copies' && (columns.phase as string[])[0] === 'copying') {
        erased = true;
        await eraseCustomersOnClickHouse(cluster, ['erin'], { keyring, role: 'admin' });
      }
      return append(table, columns);
    };
    let applied;
    try {
      applied = await apply('api-events-b4-b4.ndjson', [event('erin', 2), event('frank', 3)]);
    } finally {
      cluster.append = append;
    }
    expect(erased).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM events WHERE ingest_id = ${applied.ingestId}`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM events WHERE customer_id = '${tokenOf('erin')}'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM customer_reid WHERE customer_id = '${tokenOf('erin')}'`)).toBe(0);
    const [entry] = await cluster.query("SELECT details FROM audit_log WHERE action = 'ingest' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.details))).toMatchObject({ ingest_id: applied.ingestId, rows_erased_meanwhile: { events: 1 } });
  }, 240_000);
});
