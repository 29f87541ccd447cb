import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Warehouse } from '../../src/engine/warehouse.js';

/** A file the engine's exportCsv wrote: its path, its mode and its folder's, right after the write. */
export interface ExportSeen {
  path: string;
  fileMode: number;
  folderMode: number;
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/**
 * `inner` with its exportCsv observed: each file the engine writes is added to `exports` (`ExportSeen`); with `fail`,
 * the export then throws an error whose message is `injected: ` and `fail` (a run or an export stopped right after the
 * engine wrote its file).
 *
 * Example: `observedExports(warehouse, seen, 'the run stopped')` → a warehouse whose exportCsv records and then throws
 */
export function observedExports<W extends Warehouse>(inner: W, exports: ExportSeen[], fail?: string): W {
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'exportCsv') {
        return async (sql: string, path: string) => {
          const rows = await target.exportCsv(sql, path);
          exports.push({ path, fileMode: modeOf(path), folderMode: modeOf(dirname(path)) });
          if (fail !== undefined) throw new Error(`injected: ${fail}`);
          return rows;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
