import type { WarehouseAuditRecord } from '../privacy/warehouse/warehouse-audit.js';
import type { AuditActor, ServerContext, ServerLog } from './server-context.js';

/**
 * Audits a refusal (`login_refused`, `user_remove_refused`, `user_replace_refused`, `ingest_refused`, `request_refused`) without letting a
 * failed write change the refusal's answer — 429 with its wait, 409 with its reason, not 500: the failure goes to `log`.
 * Answers whether the entry was written (a login lock audits its next refusal when it was not).
 *
 * Example: `if (!(await auditRefusal(context, request.log, actor, { action: 'ingest_refused', target: 'table:events', … }))) …`
 */
export async function auditRefusal(context: Pick<ServerContext, 'audit'>, log: ServerLog, actor: AuditActor, record: WarehouseAuditRecord): Promise<boolean> {
  try {
    await context.audit(actor, record);
    return true;
  } catch (error) {
    log.error({ err: error, action: record.action }, 'a refusal could not be audited');
    return false;
  }
}
