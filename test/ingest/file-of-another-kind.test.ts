import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { detectSourceKind, otherKindShown } from '../../src/ingest/source-kind.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir, writeLines } from '../helpers/warehouse.js';

const dir = scratchDir();
const write = (name: string, lines: readonly string[]) => writeLines(dir, name, lines);
const ORDERS = write('orders.csv', ['order_id,customer_id,order_date,product_id,quantity,unit_price', '1,A,2023-01-05,P1,2,10.00', '2,B,2023-01-06,P2,1,25.50', '3,A,2023-03-07,P1,1,10.00']);
const EVENTS = write('events.csv', ['session_id,customer_id,anonymous_id,ts,type,product_id', 'S1,A,v1,2023-01-05T10:00:00,view,P1', 'S1,A,v1,2023-01-05T10:01:00,add_to_cart,P1', 'S2,,v2,2023-01-06T11:00:00,view,P2']);
const PROFILES = write('profiles.csv', ['customer_id,signup_date,acquisition_channel,acquisition_cost', 'A,2022-12-01,organic,0', 'B,2022-12-15,paid,12.5']);
/** no header: no column shows a kind */
const BARE = write('bare.csv', ['A,2023-01-05,10.00', 'B,2023-01-06,25.50', 'A,2023-03-07,10.00']);

const NOW = new Date('2024-01-01T00:00:00Z');
const line = (path: string, shown: string, columns: string, given: string, hint: string) => `clvkit: error: ${path} looks like ${shown} (columns ${columns}), not ${given} (hint: ${hint})\n`;
const EVENT_COLUMNS = 'session_id, anonymous_id, type';
const ORDER_COLUMNS = 'order_id, order_date, quantity, unit_price';
const PROFILE_COLUMNS = 'signup_date, acquisition_channel, acquisition_cost';

describe('the kind a file shows against the kind it was given as', () => {
  it('a file whose columns show another kind, and only then', () => {
    const events = ['session_id', 'customer_id', 'anonymous_id', 'ts', 'type', 'product_id'];
    expect(otherKindShown(events, 'customers')).toEqual({ kind: 'events', columns: ['session_id', 'anonymous_id', 'type'] });
    expect(otherKindShown(events, 'transactions')).toEqual({ kind: 'events', columns: ['session_id', 'anonymous_id', 'type'] });
    expect(otherKindShown(events, 'events')).toBeNull();
    expect(otherKindShown(['order_id', 'customer_id', 'order_date', 'amount'], 'events')).toEqual({ kind: 'transactions', columns: ['order_id', 'order_date', 'amount'] });
    // a file that shows its own kind too is read as given; one that shows none is read as given
    expect(otherKindShown(['order_id', 'customer_id', 'session_id', 'type', 'amount'], 'transactions')).toBeNull();
    expect(otherKindShown(['customer_id', 'signup_date', 'total'], 'customers')).toBeNull();
    expect(otherKindShown(['column0', 'column1', 'column2'], 'events')).toBeNull();
    // the detection is unchanged
    expect([detectSourceKind(events), detectSourceKind(['customer_id', 'signup_date']), detectSourceKind(['customer_id', 'signup_date', 'amount']), detectSourceKind(['a', 'b'])]).toEqual(['events', 'customers', 'transactions', 'transactions']);
  });
});

// A user trial: `clvkit analyze s7/transactions.csv --customers s7/events.csv` returned 0 with every event line stored
// as a profile (117,543 read, 97,473 accepted; session_id, anonymous_id, ts, type unread); `--events
// s7/transactions.csv` returned 0 with the events entry "already ingested, rowsRead 0" (the transaction file's
// SHA-256): no event was analysed, no word; `clvkit validate s7/events.csv` said the warehouse held no purchases.
describe('analyze', () => {
  const out = join(dir, 'out');
  it('refuses an event file given as profiles, a transaction file given as events, events or profiles given as transactions', async () => {
    const cases: [string[], string][] = [
      [['--customers', EVENTS], line(EVENTS, 'an event file', EVENT_COLUMNS, 'a customer profile file', 'pass event files with --events FILE')],
      [['--events', ORDERS], line(ORDERS, 'a transaction file', ORDER_COLUMNS, 'an event file', 'pass transaction files as arguments, e.g. clvkit analyze ORDERS --events EVENTS --customers PROFILES')],
      [['--events', PROFILES], line(PROFILES, 'a customer profile file', PROFILE_COLUMNS, 'an event file', 'pass customer profile files with --customers FILE')],
    ];
    for (const [flags, refusal] of cases) {
      const run = await cli(['analyze', ORDERS, ...flags, '--out', out, '--quiet']);
      expect({ flags, code: run.code, stderr: run.stderr }).toEqual({ flags, code: 2, stderr: refusal });
    }
    const positional = await cli(['analyze', EVENTS, '--out', out, '--quiet']);
    expect([positional.code, positional.stderr]).toEqual([2, line(EVENTS, 'an event file', EVENT_COLUMNS, 'a transaction file', 'pass event files with --events FILE')]);
    expect(existsSync(out)).toBe(false);
  });

  it('a file held already as another kind is refused, not reported as already ingested', async () => {
    const db = join(dir, 'analyze.duckdb');
    expect((await cli(['ingest', BARE, '--db', db])).code).toBe(0); // read as transactions (no header: nothing shows another kind)
    const run = await cli(['analyze', '--db', db, '--events', BARE, '--out', out, '--quiet']);
    expect([run.code, run.stderr]).toEqual([
      2,
      `clvkit: error: ${BARE} is held already as a transaction file (ingest 1, the same content by SHA-256), not as an event file (hint: if it was given by mistake, give an event file instead; to read it as an event file, drop ingest 1 first (clvkit ingests drop 1 --role admin), then ingest it again)\n`,
    ]);
  });
});

describe('the commands that read a transaction file', () => {
  it.each([
    ['validate', EVENTS, ['--calibration-end', '2023-02-01'], 'an event file', EVENT_COLUMNS, 'event files go with their orders to clvkit analyze ORDERS --events FILE (or clvkit ingest FILE --db PATH)'],
    ['summarize', PROFILES, ['--out', join(dir, 'summary.csv')], 'a customer profile file', PROFILE_COLUMNS, 'customer profile files go with their orders to clvkit analyze ORDERS --customers FILE (or clvkit ingest FILE --db PATH)'],
    ['segments', EVENTS, [], 'an event file', EVENT_COLUMNS, 'event files go with their orders to clvkit analyze ORDERS --events FILE (or clvkit ingest FILE --db PATH)'],
    ['rules', EVENTS, [], 'an event file', EVENT_COLUMNS, 'event files go with their orders to clvkit analyze ORDERS --events FILE (or clvkit ingest FILE --db PATH)'],
    ['cohorts', PROFILES, [], 'a customer profile file', PROFILE_COLUMNS, 'customer profile files go with their orders to clvkit analyze ORDERS --customers FILE (or clvkit ingest FILE --db PATH)'],
  ])('%s refuses %s of another kind', async (command, path, flags, shown, columns, hint) => {
    const run = await cli([command, path, ...flags]);
    expect([run.code, run.stderr]).toEqual([2, line(path, shown, columns, 'a transaction file', `clvkit ${command} reads a transaction file; ${hint}`)]);
  });

  it('and reads a transaction file, also one without a header', async () => {
    expect((await cli(['segments', ORDERS, '--json'])).code).toBe(0);
    const bare = await cli(['summarize', BARE, '--out', join(dir, 'bare-summary.csv')]);
    expect([bare.code, bare.stderr]).toEqual([0, expect.stringMatching(/3 rows read, 3 accepted, 0 quarantined; wrote 2 customers/)]);
  });
});

describe('ingest --kind', () => {
  const db = join(dir, 'ingest.duckdb');
  it('refuses a file whose columns show another kind; without --kind each file is read as the kind it shows', async () => {
    const wrong = await cli(['ingest', ORDERS, EVENTS, '--kind', 'events', '--db', db]);
    expect([wrong.code, wrong.stderr.split('\n').filter((l) => l.includes('error:'))]).toEqual([
      2,
      [line(ORDERS, 'a transaction file', ORDER_COLUMNS, 'an event file', '--kind events reads every file of the command as an event file: leave it out to read each file as the kind its columns show, or ingest this one on its own with --kind transactions').trimEnd()],
    ]);
    expect(existsSync(db)).toBe(false); // the first file refused: nothing made
    const asProfiles = await cli(['ingest', EVENTS, '--kind', 'customers', '--db', db]);
    expect(asProfiles.stderr).toContain(line(EVENTS, 'an event file', EVENT_COLUMNS, 'a customer profile file', '--kind customers reads every file of the command as a customer profile file: leave it out to read each file as the kind its columns show, or ingest this one on its own with --kind events'));
    const detected = await cli(['ingest', ORDERS, EVENTS, PROFILES, '--db', db, '--json']);
    expect(detected.code, detected.stderr).toBe(0);
    expect(JSON.parse(detected.stdout).files.map((f: { kind: string; accepted: number }) => [f.kind, f.accepted])).toEqual([['transactions', 3], ['events', 3], ['customers', 2]]);
    // held as events: given as events again, already ingested; given as profiles, refused by its columns
    const again = await cli(['ingest', EVENTS, '--kind', 'events', '--db', db]);
    expect([again.code, again.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(/^.*events\.csv: already ingested \(same content, sha256 [0-9a-f]{12}…, ingest 2, as an event file\): nothing added$/)]);
  });

  it('refuses a file held as another kind that its columns do not tell, and reports one held, given no kind, as the kind it is held as', async () => {
    const held = join(dir, 'held.duckdb');
    expect((await cli(['ingest', BARE, '--db', held, '--kind', 'transactions'])).code).toBe(0);
    const asProfiles = await cli(['ingest', BARE, '--db', held, '--kind', 'customers']);
    expect([asProfiles.code, asProfiles.stderr]).toEqual([2, `clvkit: error: ${BARE} is held already as a transaction file (ingest 1, the same content by SHA-256), not as a customer profile file (hint: if it was given by mistake, give a customer profile file instead; to read it as a customer profile file, drop ingest 1 first (clvkit ingests drop 1 --role admin), then ingest it again)\n`]);
    const profiles = join(dir, 'profiles-held.duckdb');
    const bareProfiles = write('bare-profiles.csv', ['A,2022-12-01', 'B,2022-12-15']);
    expect((await cli(['ingest', bareProfiles, '--db', profiles, '--kind', 'customers', '--map', 'customer_id=1', '--map', 'signup_date=2'])).code).toBe(0);
    const detected = await cli(['ingest', bareProfiles, '--db', profiles, '--json']);
    expect(JSON.parse(detected.stdout).files[0]).toMatchObject({ kind: 'customers', alreadyIngested: true, ingestId: 1 });
  });

  it('an XLSX is checked by the header of its worksheet', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('events');
    sheet.addRow(['session_id', 'customer_id', 'anonymous_id', 'ts', 'type']);
    sheet.addRow(['S1', 'A', 'v1', '2023-01-05T10:00:00', 'view']);
    const path = join(dir, 'events.xlsx');
    await workbook.xlsx.writeFile(path);
    const warehouse = await memoryWarehouse(1);
    try {
      const error = await ingestFiles(warehouse, [path], { kind: 'customers', now: NOW }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(`${path} looks like an event file (columns session_id, anonymous_id, type), not a customer profile file`);
      expect((error as UserError).hint).toBe("read it as an event file (kind: 'events'; clvkit ingest --kind events, or clvkit analyze --events)");
      const [row] = await warehouse.query('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM ingests) AS n');
      expect(Number(row!.n)).toBe(0);
    } finally {
      await warehouse.close();
    }
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const database = `wrong_kind_input_${process.pid}`;
  afterAll(async () => {
    const cluster = await openClickHouseWarehouse(CLICKHOUSE_URL!, { database });
    await cluster.dropDatabase();
    await cluster.close();
  });

  it('a file the cluster holds as another kind is refused; given no kind, reported as the kind it is held as', async () => {
    const keyring = keyringFromKey(generateKey());
    const cluster = await openClickHouseWarehouse(CLICKHOUSE_URL!, { database });
    try {
      expect((await ingestFilesToClickHouse(cluster, [BARE], { keyring, now: NOW })).accepted).toBe(3);
      const error = await ingestFilesToClickHouse(cluster, [BARE], { keyring, now: NOW, kind: 'events' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(/bare\.csv is held already as a transaction file \(ingest 1, the same content by SHA-256\), not as an event file$/);
      const again = await ingestFilesToClickHouse(cluster, [BARE], { keyring, now: NOW });
      expect(again.files[0]).toMatchObject({ kind: 'transactions', alreadyIngested: true, ingestId: 1, optionsNotApplied: [] });
    } finally {
      await cluster.close();
    }
  }, 120_000);
});
