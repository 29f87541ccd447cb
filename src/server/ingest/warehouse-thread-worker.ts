// The warehouse thread (a worker_threads worker started by `openWarehouseThread`): it owns the served DuckDB file —
// DuckDB opens a file once per process, so every warehouse call of the server comes here — and applies ingested
// groups with the file ingest (`ingestFiles`: staging, rules, HMAC tokens, encryption, quarantine, audit), whose
// JavaScript work (hashing, encrypting, reading results into objects, the appender) would otherwise hold up the
// server's event loop, on which acknowledged requests wait.
import { writeFile } from 'node:fs/promises';
import { threadId, parentPort, workerData } from 'node:worker_threads';
import type { AppendColumns, Warehouse } from '../../engine/warehouse.js';
import { ingestFiles } from '../../ingest/ingest-files.js';
import { applyIngestedFile } from './apply-ingested-file.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { openKeyedWarehouse } from '../../privacy/keys/open-keyed-warehouse.js';
import { serialiseWarehouse } from '../serialised-warehouse.js';
import { sendableError } from '../../core/errors/thread-errors.js';
import type { ThreadReply, ThreadRequest } from './warehouse-thread-messages.js';

export interface WarehouseThreadData {
  readonly db: string;
  readonly keyFile?: string;
}

const port = parentPort!;
const { db, keyFile } = workerData as WarehouseThreadData;
const send = (reply: ThreadReply) => port.postMessage(reply);

let opened: Warehouse;
let keyring: Keyring;
try {
  // the same file and key as the server's thread opened (and migrated) and closed just before
  const keyed = await openKeyedWarehouse({ db, requireKey: true, ...(keyFile ? { keyFile } : {}), warehouse: { migrate: false } });
  opened = keyed.warehouse;
  keyring = keyed.keyring!;
} catch (error) {
  send({ id: 0, ok: false, error: sendableError(error) });
  throw error;
}
/** one operation at a time on the one connection: the server's calls and the ingest of a group take turns, statement by statement, as on one thread */
const shared = serialiseWarehouse(opened);

/** Open transactions of the server's thread: the `end` that finishes each. */
const transactions = new Map<number, (commit: boolean, endId: number) => void>();
/** Stream chunks waiting for the server's thread to take them (backpressure: one chunk at a time). */
const acks = new Map<number, (stop: boolean) => void>();

/** A transaction's operations run on the connection directly: the transaction holds it (`shared` is busy with it until its end). */
const target = (tx: number | undefined): Warehouse => (tx !== undefined && transactions.has(tx) ? opened : shared);

async function handle(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'execute':
      return target(request.tx).execute(request.sql);
    case 'query':
      return target(request.tx).query(request.sql);
    case 'queryColumns':
      return target(request.tx).queryColumns(request.sql);
    case 'exportCsv':
      return target(request.tx).exportCsv(request.sql, request.path);
    case 'append':
      return target(request.tx).append(request.table, request.columns as AppendColumns);
    case 'stream':
      return target(request.tx).stream(request.sql, async (rows) => {
        const taken = new Promise<boolean>((resolve) => acks.set(request.id, resolve));
        send({ id: request.id, rows });
        if (await taken) throw new Error('the reader of the stream failed: stopped');
      });
    case 'apply': {
      // the group's file is written here too: encoding ~5 MB of text is not for the server's thread
      await writeFile(request.file, request.bodies.join(''), { mode: 0o600 });
      // atomic on its own: rows, quarantine and the `ingests` row (named after the group) commit together
      const { ingestId } = await applyIngestedFile((paths, o) => ingestFiles(shared, paths, o), request.file, request, keyring);
      return { ingestId, threadId };
    }
    case 'close':
      await shared.close();
      return null;
    default:
      throw new Error(`the warehouse thread got an unknown request ${(request as { op: string }).op}`);
  }
}

/** BEGIN on the shared connection; answered once begun; the transaction ends (COMMIT or ROLLBACK) when its `end` comes, which is answered then. */
function begin(id: number): void {
  const tx = id;
  let endId = -1;
  const rollback = new Error('rollback asked by the server thread');
  let begun = false;
  shared
    .transaction(async () => {
      const commit = await new Promise<boolean>((resolve) => {
        transactions.set(tx, (commit, end) => {
          endId = end;
          resolve(commit);
        });
        begun = true;
        send({ id, ok: true, result: tx });
      });
      if (!commit) throw rollback;
    })
    .then(
      () => send({ id: endId, ok: true, result: null }),
      (error: unknown) => {
        if (!begun) send({ id, ok: false, error: sendableError(error) });
        else send(error === rollback ? { id: endId, ok: true, result: null } : { id: endId, ok: false, error: sendableError(error) });
      },
    )
    .finally(() => transactions.delete(tx));
}

port.on('message', (request: ThreadRequest) => {
  if (request.op === 'ack') {
    const resume = acks.get(request.id);
    acks.delete(request.id);
    resume?.(request.stop === true);
    return;
  }
  if (request.op === 'begin') return begin(request.id);
  if (request.op === 'end') {
    const end = transactions.get(request.tx);
    if (end) end(request.commit, request.id);
    else send({ id: request.id, ok: false, error: { name: 'Error', message: `no open transaction ${request.tx} in the warehouse thread` } });
    return;
  }
  handle(request).then(
    (result) => send({ id: request.id, ok: true, result }),
    (error: unknown) => send({ id: request.id, ok: false, error: sendableError(error) }),
  );
});
send({ id: 0, ok: true, result: 'ready' });
