/** The `ingest_batches` rows of API batches (ingest-queue.ts): a group applied, recorded from its load, or a batch set aside. */
import type { Warehouse } from '../../engine/warehouse.js';
import type { WalBatch } from './wal-records.js';
import { senderId, sentBodySha256 } from './batch-receipts.js';
import type { Keyring } from '../../privacy/keys/keyring.js';

/** Records batches in `ingest_batches`, applied now, with the lines of each accepted and quarantined, who sent it and the hash of its body (batch-receipts.ts). */
export async function recordBatches(state: Warehouse, rows: readonly { batch: WalBatch; accepted: number; quarantined: number }[], keyring: Keyring): Promise<void> {
  const d = state.dialect;
  const appliedAt = d.timestamp(new Date().toISOString());
  const values = rows.map(({ batch: b, accepted, quarantined }) => {
    const sha = b.idempotencyKey === null ? null : sentBodySha256(b);
    return `(${d.literal(b.id)}, ${d.literal(b.kind)}, ${b.idempotencyKey === null ? 'NULL' : d.literal(b.idempotencyKey)}, ${d.timestamp(b.receivedAt)}, ${appliedAt}, ${accepted}, ${quarantined}, ${d.literal(senderId(keyring, b.actor))}, ${sha === null ? 'NULL' : d.literal(sha)})`;
  });
  await state.execute(`INSERT INTO ingest_batches (batch_id, kind, idempotency_key, received_at, applied_at, accepted, quarantined, sender, body_sha256) VALUES ${values.join(', ')}`);
}
