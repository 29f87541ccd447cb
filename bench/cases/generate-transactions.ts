import { existsSync, renameSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Write a transactions CSV of `rows` lines in the Online Retail layout:
 * ~rows/20 customers, Zipf-ish products, two years of timestamps, 2% returns,
 * 1% rows without customer id. Deterministic (hash of the row number).
 */
export async function generateTransactionsCsv(path: string, rows: number): Promise<void> {
  if (existsSync(path)) return;
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  const customers = Math.max(10, Math.round(rows / 20));
  const tmp = `${path}.partial`;
  await connection.run(`
    COPY (
      SELECT
        CASE WHEN h % 50 = 0 THEN 'C' ELSE '' END || CAST(500000 + i // 3 AS VARCHAR) AS InvoiceNo,
        'P' || CAST(CAST(floor(pow((h % 10007) / 10007.0, 3) * 4000) AS BIGINT) AS VARCHAR) AS StockCode,
        'ITEM ' || CAST(h % 4000 AS VARCHAR) AS Description,
        CASE WHEN h % 50 = 0 THEN -1 ELSE 1 + (h // 7) % 12 END AS Quantity,
        strftime(TIMESTAMP '2021-01-01' + to_seconds(CAST((h // 13) % 63072000 AS BIGINT)), '%Y-%m-%d %H:%M:%S') AS InvoiceDate,
        round(0.5 + ((h // 17) % 2000) / 100.0, 2) AS UnitPrice,
        CASE WHEN h % 100 = 1 THEN NULL ELSE CAST(10000 + (h // 101) % ${customers} AS VARCHAR) END AS CustomerID,
        'Country' || CAST((h // 1009) % 30 AS VARCHAR) AS Country
      FROM (SELECT i, hash(i) // 2 AS h FROM range(${rows}) t(i))
    ) TO '${tmp}' (HEADER, DELIMITER ',')`);
  connection.closeSync();
  instance.closeSync();
  renameSync(tmp, path);
}
