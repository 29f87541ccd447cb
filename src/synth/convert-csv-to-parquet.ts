/**
 * Convert the shop's CSV files to Parquet through DuckDB, streaming
 * (`COPY (SELECT * FROM read_csv(...)) TO ... (FORMAT PARQUET)`), with the
 * column types given explicitly so nothing depends on type sniffing (order
 * ids such as 'C500123' stay text, missing customer ids become NULL).
 * Insertion order is preserved, so the Parquet rows are the CSV rows in the
 * same order, duplicates included.
 */
import { DuckDBInstance } from '../engine/duckdb-node-api.js';
import { duckDbThreads } from '../engine/duckdb-threads.js';

export interface ParquetConversion {
  readonly csvPath: string;
  readonly parquetPath: string;
  /** column name → DuckDB type, in file order */
  readonly columns: Readonly<Record<string, string>>;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function convertCsvToParquet(conversions: readonly ParquetConversion[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(duckDbThreads(2)), memory_limit: '1GB', preserve_insertion_order: 'true', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    for (const conversion of conversions) {
      const columns = `{${Object.entries(conversion.columns).map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ')}}`;
      await connection.run(
        `COPY (SELECT * FROM read_csv(${quote(conversion.csvPath)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = ${columns}, timestampformat = '%Y-%m-%dT%H:%M:%S', dateformat = '%Y-%m-%d')) ` +
          `TO ${quote(conversion.parquetPath)} (FORMAT PARQUET, COMPRESSION ZSTD)`,
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
