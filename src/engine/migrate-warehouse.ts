import { SCHEMA_MIGRATIONS, type Migration } from './schema-migrations.js';
import type { Warehouse } from './warehouse.js';

/**
 * Bring a warehouse to the newest schema: applies, in order and each in its
 * own transaction, the migrations it has not seen; returns the versions applied.
 */
export async function migrateWarehouse(warehouse: Warehouse, migrations: readonly Migration[] = SCHEMA_MIGRATIONS): Promise<number[]> {
  await warehouse.execute(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const rows = await warehouse.query('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((row) => Number(row.version)));
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    await warehouse.transaction(async () => {
      for (const statement of migration.statements) await warehouse.execute(statement);
      const d = warehouse.dialect;
      await warehouse.execute(
        `INSERT INTO schema_migrations VALUES (${migration.version}, ${d.literal(migration.name)}, ${d.timestamp(new Date().toISOString())})`,
      );
    });
    done.push(migration.version);
  }
  return done;
}
