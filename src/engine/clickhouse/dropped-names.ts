/**
 * The plain names (entry-node tables, no database prefix) a connection's own
 * statements left dropped: added by `DROP TABLE IF EXISTS name`, removed by a
 * CREATE of the name, all forgotten after any other DDL (RENAME, ALTER, …),
 * which may make a name appear. `ClickHouseWarehouse.execute` sends no second
 * DROP before a `CREATE OR REPLACE` of such a name (and runs both after all
 * when another writer made it meanwhile: the CREATE fails).
 *
 * Example: `names.note('DROP TABLE IF EXISTS clv_items'); names.has('clv_items')` → true
 */
const DROP = /^\s*DROP\s+TABLE\s+IF\s+EXISTS\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/i;
const CREATE = /^\s*CREATE\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\b(?!\.)/i;

export class DroppedNames {
  readonly #names = new Set<string>();

  /** Take account of a statement that ran. */
  note(statement: string): void {
    const dropped = DROP.exec(statement)?.[1];
    const made = CREATE.exec(statement)?.[1];
    if (dropped) this.#names.add(dropped.toLowerCase());
    else if (made) this.#names.delete(made.toLowerCase());
    else if (!/^\s*(?:SELECT|INSERT|WITH)\b/i.test(statement)) this.#names.clear();
  }

  has(name: string): boolean {
    return this.#names.has(name.toLowerCase());
  }

  /** `statements` (a CREATE OR REPLACE of `name` rewritten: DROP TABLE IF EXISTS, CREATE) without the DROP when `name` is dropped already; else null. */
  withoutDrop(name: string, statements: readonly string[]): readonly string[] | null {
    const [first, ...rest] = statements;
    return rest.length > 0 && this.has(name) && /^DROP TABLE IF EXISTS /.test(first!) ? rest : null;
  }
}

/** Whether a statement failed because its table already exists (another writer made it). */
export function alreadyExists(error: unknown): boolean {
  return /\balready exists\b/i.test(String((error as { cause?: unknown }).cause ?? error));
}
