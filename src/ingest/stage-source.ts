import { UserError } from '../core/errors/user-error.js';
import { checkGzipComplete } from './check-gzip.js';
import { commonestDelimiter, undetectedHeaderDelimiter } from './commonest-delimiter.js';
import { QueryError } from '../core/errors/query-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { nextEncoding, notEncodedAs, readerEncoding, type SourceInspection } from './inspect-source.js';
import { normalisedTextCopy } from './normalised-text-copy.js';
import { liftIngestMemoryLimit } from './ingest-memory.js';
import { insideCallersTransaction, refuseRetryInsideTransaction, rowPositionSql } from './row-position.js';
import { setInsertionOrder } from './ingest-bookkeeping.js';
import { firstLineIsData, headerLooksPresent } from './first-line-is-data.js';
import { emptyHeaderCellsNamedFromOne } from './unnamed-columns.js';
import { countRows, HEAD_ROWS, HEAD_TABLE, REJECTS_TABLE, SAMPLE_VIEW, STAGE_TABLE, stageColumns, stagedTable, type StagedSource, type StageOptions } from './stage-tables.js';
// loads ExcelJS only when a workbook is staged (see there)
import { stageXlsx } from './stage-xlsx.js';

/** Removes the files a warehouse's current stage reads (the LF-only copy of a file), per warehouse. */
const scratchFiles = new WeakMap<Warehouse, () => void>();

/** Drops the staged rows `stageSource` left (the staging table, or the sample view, and any copy of the file it read); the rejects stay. */
export async function dropStage(warehouse: Warehouse): Promise<void> {
  scratchFiles.get(warehouse)?.();
  scratchFiles.delete(warehouse);
  await dropTempView(warehouse, SAMPLE_VIEW);
  await warehouse.execute(`DROP TABLE IF EXISTS ${STAGE_TABLE}; DROP TABLE IF EXISTS ${HEAD_TABLE}`);
}

/** `DROP VIEW IF EXISTS` for a temporary view (the engine refuses it when a table has the name, so look first). */
export async function dropTempView(warehouse: Warehouse, view: string): Promise<void> {
  const [row] = await warehouse.query(`SELECT count(*) AS n FROM duckdb_views() WHERE view_name = ${warehouse.dialect.literal(view)} AND temporary`);
  if (Number(row!.n) > 0) await warehouse.execute(`DROP VIEW ${view}`);
}

/** The names of the columns of a file without a header: column1, column2, …, counted from 1 as --map positions are. */
export function headerlessColumnNames(width: number): string[] {
  return Array.from({ length: width }, (_, i) => `column${i + 1}`);
}

/**
 * The readers' compression, from the file's first bytes (`SourceInspection.gzip`), not its name: the engine goes by
 * the name, and read gzip content named `.csv` as text ("File is not latin-1 encoded"). A file named `.gz` that is
 * not gzip is refused before it is read (inspect-source.ts).
 */
function compressionArg(gzip: boolean): string {
  return `compression = '${gzip ? 'gzip' : 'none'}'`;
}

function sqlPath(warehouse: Warehouse, path: string): string {
  return warehouse.dialect.literal(path);
}

/** A quote or escape character as `sniff_csv` names it: `(empty)` for none. */
const sniffedChar = (value: unknown): string => (value === '(empty)' || value === null ? '' : String(value));

/** Lines up to this long are read on a retry; the reader's default (2 MB) is kept for the first read, which is faster. */
const LONG_LINE_BYTES = 64 * 1024 * 1024;

/**
 * A CSV whose lines end partly in CRLF and partly in LF (the engine's reader refuses such a file while sniffing it), and
 * a Windows-1252 file (its € and curly quotes the Latin-1 reader refuses), are staged (`stage`) from a UTF-8 copy with
 * LF only: same lines, same line numbers.
 */
async function stageFromCopy(warehouse: Warehouse, source: SourceInspection, stage: (copyPath: string) => Promise<StagedSource>): Promise<StagedSource> {
  const copy = await normalisedTextCopy(source.path, source.gzip, source.encoding === 'windows-1252');
  // The judging pass reads the copy after staging: it is removed with the stage (dropStage).
  const earlier = scratchFiles.get(warehouse);
  scratchFiles.set(warehouse, () => {
    earlier?.();
    copy.remove();
  });
  return stage(copy.path);
}

/** The message of an error the engine's reader raised. */
const readerMessage = (error: unknown): string => (error instanceof QueryError && error.cause instanceof Error ? error.cause.message : String(error));

async function stageCsv(warehouse: Warehouse, source: SourceInspection, options: StageOptions, longLines = false, readPath?: string): Promise<StagedSource> {
  if (readPath === undefined && (source.mixedLineEndings || source.encoding === 'windows-1252')) return stageFromCopy(warehouse, source, (copy) => stageCsv(warehouse, source, options, false, copy));
  const d = warehouse.dialect;
  if (longLines) await liftIngestMemoryLimit(warehouse); // the reader's buffer for long lines is one block of 1 GiB
  await setInsertionOrder(warehouse, true); // a row's position is its line (events' cleaning turns the order off)
  const file = sqlPath(warehouse, readPath ?? source.path);
  const args = [
    compressionArg(readPath === undefined && source.gzip), // the LF-only copy is plain text
    'all_varchar = true',
    ...(longLines ? [`max_line_size = ${LONG_LINE_BYTES}`] : []),
    `encoding = ${d.literal(readerEncoding(source.encoding))}`,
    'store_rejects = true',
    `rejects_table = 'clv_reader_rejects'`,
    `rejects_scan = 'clv_reader_scans'`,
  ];
  if (options.delimiter !== undefined) args.push(`delim = ${d.literal(options.delimiter === '\\t' ? '\t' : options.delimiter)}`);
  if (options.header !== undefined) args.push(`header = ${options.header}`);
  /** A reader error (sniffing or reading): once more as Latin-1, or with room for long lines; else a UserError. */
  const retryOrFail = (error: unknown): Promise<StagedSource> => {
    const raw = readerMessage(error);
    const message = readPath === undefined ? raw : raw.replaceAll(readPath, source.path); // name the user's file, not the LF-only copy
    // An error inside a transaction the caller opened has aborted it: no second read can run there.
    refuseRetryInsideTransaction(warehouse, source.path, message);
    // Invalid UTF-8 past the sampled head: read the file as Latin-1 instead; bytes Latin-1 refuses: as Windows-1252 (from a UTF-8 copy).
    const next = nextEncoding(source.encoding, message);
    if (next !== undefined) return stageCsv(warehouse, { ...source, encoding: next }, options, longLines, next === 'windows-1252' ? undefined : readPath);
    // A line longer than the reader's buffer (a huge free-text field): once more with room for it.
    if (!longLines && /CSV Error on Line|maximum line size/i.test(message)) return stageCsv(warehouse, source, options, true, readPath);
    // Line endings mixed past the sampled head: once more from a copy with LF only.
    if (readPath === undefined && /Error when sniffing|invalid state/i.test(message)) return stageFromCopy(warehouse, source, (copy) => stageCsv(warehouse, source, options, false, copy));
    throw new UserError(`cannot read ${source.path} as CSV: ${message.split('\n')[0]}`, longLines ? `check --delimiter and --header, the file encoding, and lines longer than ${LONG_LINE_BYTES / 1024 / 1024} MB` : 'check --delimiter and --header, or the file encoding');
  };
  // Decide delimiter and header once (DuckDB's sniffer unless given), then read with them fixed.
  const sniffArgs = [`encoding = ${d.literal(readerEncoding(source.encoding))}`, ...args.filter((a) => a.startsWith('compression') || a.startsWith('delim') || a.startsWith('header') || a.startsWith('max_line_size'))];
  let delimiter = options.delimiter ?? ',';
  let hasHeader = options.header ?? true;
  let dialect: string[] = [];
  let givenQuote: string | undefined;
  const sniff = (extra: string[] = []) => warehouse.query(`SELECT Delimiter AS delimiter, Quote AS quote, Escape AS escape, HasHeader AS has_header FROM sniff_csv(${file}, ${[...sniffArgs, ...extra].join(', ')})`);
  try {
    const [sniffed] = await sniff().catch((error: unknown) => {
      // Without a delimiter the sniffer settles on one it can read every sampled line with; given one, a quote that never
      // closes in its sample leaves it none ("Error when sniffing"), where the readers pass over the lines they cannot
      // read (store_rejects): asked again as they read, it chooses what they would (no quote: strayQuoteWarning says so).
      // Not inside a transaction the caller holds open: the failed statement has aborted it (retryOrFail says so).
      if (options.delimiter === undefined || !/Error when sniffing/i.test(readerMessage(error)) || insideCallersTransaction(warehouse)) throw error;
      return sniff(['ignore_errors = true']).catch(() => Promise.reject(error));
    });
    if (sniffed) {
      delimiter = String(sniffed.delimiter);
      hasHeader = options.header ?? Boolean(sniffed.has_header);
    }
    // The sniffer can give up on small files with ragged lines, and never tries ':' '#' '~' '^' (undetectedHeaderDelimiter: a header of names split by one): then the first lines decide.
    const firstLine = source.sampleLines.find((line) => line.trim() !== '') ?? '';
    const undetected = options.delimiter === undefined ? undetectedHeaderDelimiter(source.sampleLines) : undefined;
    if (undetected !== undefined) [delimiter, hasHeader] = [undetected, options.header ?? true];
    else if (options.delimiter === undefined && !firstLine.includes(delimiter)) delimiter = commonestDelimiter(firstLine) ?? delimiter;
    // The quote and escape the sniffer chose with this delimiter, given to the readers below: each of them (the sample
    // view, the head, the judging pass) otherwise sniffs the same lines again for them, ~25 ms of CPU a time. Not when
    // the first line chose another delimiter: that one's quote and escape are the readers' to find.
    if (sniffed && delimiter === String(sniffed.delimiter)) {
      givenQuote = sniffedChar(sniffed.quote);
      dialect = [`quote = ${d.literal(givenQuote)}`, `escape = ${d.literal(sniffedChar(sniffed.escape))}`];
    }
  } catch (error) {
    return retryOrFail(error);
  }
  if (options.delimiter === undefined) args.push(`delim = ${d.literal(delimiter)}`);
  if (options.header === undefined) args.push(`header = ${hasHeader}`);
  args.push(...dialect);
  await warehouse.execute('DROP TABLE IF EXISTS clv_reader_rejects; DROP TABLE IF EXISTS clv_reader_scans');
  // The judging pass reads the file through the reader itself (recording rejected lines); a second reader,
  // skipping the same lines without recording them, serves the samples and any later look at a row's text.
  let relation = `read_csv(${file}, ${args.join(', ')})`;
  let readAgain = '';
  let headRows = 0;
  const readHead = async () => {
    const quietArgs = [...args.filter((a) => !/^(store_rejects|rejects_table|rejects_scan) =/.test(a)), 'ignore_errors = true'];
    readAgain = `read_csv(${file}, ${quietArgs.join(', ')})`;
    await warehouse.execute(`CREATE OR REPLACE TEMP VIEW ${SAMPLE_VIEW} AS SELECT * FROM ${readAgain}`);
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${HEAD_TABLE} AS SELECT * FROM ${SAMPLE_VIEW} LIMIT ${HEAD_ROWS}`);
    headRows = await countRows(warehouse, HEAD_TABLE);
  };
  try {
    await readHead();
  } catch (error) {
    return retryOrFail(error);
  }
  const sampleFor = async (rows: number, columns: readonly string[] = []): Promise<string> => {
    if (headRows < HEAD_ROWS) return HEAD_TABLE; // the head is the whole file
    if (rows > HEAD_ROWS) return SAMPLE_VIEW;
    if (columns.length === 0) return HEAD_TABLE;
    const filled = columns.map((column, i) => `count(*) FILTER (WHERE trim(${d.identifier(column)}) <> '') AS c${i}`);
    const [row] = await warehouse.query(`SELECT ${filled.join(', ')} FROM ${HEAD_TABLE}`);
    return columns.every((_, i) => Number(row![`c${i}`]) >= rows) ? HEAD_TABLE : SAMPLE_VIEW;
  };
  let columns = await stageColumns(warehouse, HEAD_TABLE);
  // The sniffer takes the first line of a file whose columns are all text for a header, and a first line with a value
  // unlike the ones below it. A line naming an e-mail address, a phone number or a date, or numbers only, is data:
  // read as a header, that customer's row was lost (silently, with --map by position) and their contact details
  // became column names (printed, stored in clear in the ingest report, quoted by errors).
  if (options.header === undefined && hasHeader && firstLineIsData(columns)) return stageCsv(warehouse, source, { ...options, header: false }, longLines, readPath);
  // An empty header cell: the reader names it from 0 (column1 for the second column); named by its position from 1
  // instead (column2), as a file without a header names its columns and --map counts them (unnamed-columns.ts)
  if (hasHeader) {
    try {
      const named = await emptyHeaderCellsNamedFromOne(warehouse, file, args, columns);
      if (named) {
        columns = named;
        args.push(`names = [${columns.map((name) => d.literal(name)).join(', ')}]`);
        relation = `read_csv(${file}, ${args.join(', ')})`;
        await readHead();
      }
    } catch (error) {
      return retryOrFail(error);
    }
  }
  // Without a header the reader names the columns from 0 (column0, …): named from 1 instead (column1, …), as --map and
  // the warnings count positions
  if (!hasHeader) {
    columns = headerlessColumnNames(columns.length);
    args.push(`names = [${columns.map((name) => d.literal(name)).join(', ')}]`);
    relation = `read_csv(${file}, ${args.join(', ')})`;
    try {
      await readHead();
    } catch (error) {
      return retryOrFail(error);
    }
  }
  const first = 1 + (hasHeader ? 1 : 0);
  return {
    columns,
    hasHeader,
    delimiter,
    encoding: source.encoding,
    relation,
    readAgain,
    sample: SAMPLE_VIEW,
    sampleFor,
    lineSql: null,
    firstLine: first,
    hasRows: headRows > 0,
    collectRejects: async () => {
      await warehouse.execute(
        // The reader can report several errors for one line (one per missing column): one rejected row per line.
        `CREATE OR REPLACE TEMP TABLE ${REJECTS_TABLE} AS SELECT line AS line, min(csv_line) AS raw, arg_min(error_type || ': ' || error_message, COALESCE(column_idx, 0)) AS detail FROM clv_reader_rejects GROUP BY line`,
      );
      return countRows(warehouse, REJECTS_TABLE);
    },
    retry: (error) => {
      if (!isReaderError(error)) throw error;
      return retryOrFail(error);
    },
    readerQuote: async () => {
      if (givenQuote !== undefined) return givenQuote;
      // the readers' own sniff, asked again as they read: lines it cannot read passed over, as they pass them (without,
      // the sniffer fails on the very line). Not inside a transaction the caller holds open: a failed sniff would abort it
      if (insideCallersTransaction(warehouse)) return undefined;
      const reading = [file, ...args.filter((a) => /^(delim|encoding|compression|header|max_line_size) =/.test(a)), 'ignore_errors = true'];
      const [sniffed] = await warehouse.query(`SELECT Quote AS quote FROM sniff_csv(${reading.join(', ')})`).catch(() => []);
      return sniffed === undefined ? undefined : sniffedChar(sniffed.quote);
    },
  };
}

/** Whether a failed query failed in the CSV reader (bad encoding, a line it cannot read, mixed line endings), not elsewhere. */
function isReaderError(error: unknown): boolean {
  const message = error instanceof QueryError && error.cause instanceof Error ? error.cause.message : '';
  return notEncodedAs(message) || /CSV Error on Line|maximum line size|Error when sniffing|invalid state/i.test(message);
}

async function stageWhitespace(warehouse: Warehouse, source: SourceInspection, options: StageOptions, readPath?: string): Promise<StagedSource> {
  if (readPath === undefined && source.encoding === 'windows-1252') return stageFromCopy(warehouse, source, (copy) => stageWhitespace(warehouse, source, options, copy));
  const d = warehouse.dialect;
  const lines = source.sampleLines.filter((line) => line.trim() !== '');
  const split = (line: string) => line.trim().split(/\s+/);
  const width = split(lines[0] ?? '').length;
  const hasHeader = options.header ?? (lines.length > 1 && headerLooksPresent(split(lines[0]!), split(lines[1]!)));
  const names = hasHeader ? split(lines[0]!) : headerlessColumnNames(width);
  const unique = names.map((name, i) => (names.indexOf(name) === i ? name : `${name}_${i}`));
  const read = `read_csv(${sqlPath(warehouse, readPath ?? source.path)}, ${compressionArg(readPath === undefined && source.gzip)}, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', encoding = ${d.literal(readerEncoding(source.encoding))})`;
  try {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_lines AS SELECT line, string_split_regex(trim(line), '\\s+') AS fields FROM ${read}`);
  } catch (error) {
    const next = nextEncoding(source.encoding, readerMessage(error)); // not UTF-8 past the sampled head, or bytes Latin-1 refuses
    if (next === undefined) throw error;
    refuseRetryInsideTransaction(warehouse, source.path, readerMessage(error)); // the failed read aborted the caller's transaction
    return stageWhitespace(warehouse, { ...source, encoding: next }, options);
  }
  const firstData = hasHeader ? 2 : 1;
  const lineNo = `${await rowPositionSql(warehouse, 'clv_lines')} + 1`;
  const projections = unique.map((name, i) => `fields[${i + 1}] AS ${d.identifier(name)}`).join(', ');
  await warehouse.execute(
    `CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS SELECT ${lineNo} AS __line, ${projections} FROM clv_lines WHERE ${lineNo} >= ${firstData} AND trim(line) <> '' AND len(fields) = ${width}`,
  );
  await warehouse.execute(
    `CREATE OR REPLACE TEMP TABLE ${REJECTS_TABLE} AS SELECT ${lineNo} AS line, line AS raw, 'expected ${width} fields, found ' || len(fields) AS detail FROM clv_lines WHERE ${lineNo} >= ${firstData} AND trim(line) <> '' AND len(fields) <> ${width}`,
  );
  await warehouse.execute('DROP TABLE clv_lines');
  return stagedTable(warehouse, { columns: unique, hasHeader, delimiter: 'whitespace', encoding: source.encoding, lineSql: '__line' });
}

async function stageTableFunction(warehouse: Warehouse, relation: string, what: string, path: string): Promise<StagedSource> {
  try {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS SELECT COLUMNS(*)::VARCHAR FROM ${relation}`);
  } catch (error) {
    const message = error instanceof QueryError && error.cause instanceof Error ? error.cause.message : String(error);
    throw new UserError(`cannot read ${path} as ${what}: ${message.split('\n')[0]}`, `is it a valid ${what} file?`);
  }
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${REJECTS_TABLE} AS SELECT CAST(NULL AS BIGINT) AS line, CAST(NULL AS VARCHAR) AS raw, CAST(NULL AS VARCHAR) AS detail WHERE FALSE`);
  return stagedTable(warehouse, { columns: await stageColumns(warehouse), hasHeader: true, delimiter: null, encoding: 'utf-8', lineSql: `(${await rowPositionSql(warehouse, STAGE_TABLE)} + 1)` });
}

/**
 * JSON Lines, streamed line by line by the CSV reader as one text column (a row's position is its line, blank lines too):
 * object lines staged with their line and their values' own text, other non-blank lines rejected as malformed rows; never
 * the file as one text value (a 118 MB file overran the ingest's 256 MiB cap). A gzip file goes through the JSON reader.
 */
async function stageJsonLines(warehouse: Warehouse, source: SourceInspection, longLines = false): Promise<StagedSource> {
  const d = warehouse.dialect;
  const path = sqlPath(warehouse, source.path);
  if (source.gzip) return stageTableFunction(warehouse, `read_json(${path}, format = 'newline_delimited', ${compressionArg(true)})`, 'JSON Lines', source.path);
  if (longLines) await liftIngestMemoryLimit(warehouse); // the reader's buffer for long lines is one block of 1 GiB
  await setInsertionOrder(warehouse, true); // a row's position is its line (events' cleaning turns the order off)
  // delimiter chr(0): no JSON line holds it; new_line '\r\n' ends a line at LF or CRLF
  const reader = `read_csv(${path}, columns = {'text': 'VARCHAR'}, header = false, auto_detect = false, delim = chr(0), quote = '', escape = '', comment = '', new_line = '\\r\\n', strict_mode = false, encoding = 'utf-8', ${compressionArg(false)}${longLines ? `, max_line_size = ${LONG_LINE_BYTES}` : ''})`;
  try {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_json_lines AS SELECT text, CASE WHEN json_valid(text) THEN json_type(text) = 'OBJECT' ELSE FALSE END AS ok FROM ${reader}`);
  } catch (error) {
    const message = error instanceof QueryError && error.cause instanceof Error ? error.cause.message : '';
    if (notEncodedAs(message, 'utf-8')) throw new UserError(`cannot read ${source.path} as JSON Lines: it is not UTF-8 encoded`, 'JSON Lines are UTF-8: convert the file, e.g. iconv -f latin1 -t utf-8');
    const tooLong = /maximum line size|CSV Error on Line/i.test(message);
    if (tooLong && !longLines && !insideCallersTransaction(warehouse)) return stageJsonLines(warehouse, source, true);
    if (tooLong) throw new UserError(`cannot read ${source.path} as JSON Lines: ${message.split('\n')[0]}`, `check for lines longer than ${LONG_LINE_BYTES / 1024 / 1024} MB`);
    throw error;
  }
  const line = `(${await rowPositionSql(warehouse, 'clv_json_lines')} + 1)`; // keys in order of first appearance, from each distinct key list
  const keys = (await warehouse.query(`SELECT key FROM (SELECT line, unnest(keys) AS key, generate_subscripts(keys, 1) AS pos FROM (SELECT json_keys(text) AS keys, min(${line}) AS line FROM clv_json_lines WHERE ok GROUP BY keys)) GROUP BY key ORDER BY min(line), min(pos)`)).map((r) => String(r.key));
  if (keys.length === 0) throw new UserError(`cannot read ${source.path} as JSON Lines: no line is a JSON object`, 'one JSON object per line, e.g. {"customer_id": "C1", "date": "2024-01-31", "amount": 12.5}');
  const paths = keys.map((key) => d.literal(`$."${key.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`));
  const fields = keys.map((key, i) => `v[${i + 1}] AS ${d.identifier(key)}`);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS SELECT __line, ${fields.join(', ')} FROM (SELECT ${line} AS __line, json_extract_string(text, [${paths.join(', ')}]) AS v FROM clv_json_lines WHERE ok)`);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${REJECTS_TABLE} AS SELECT ${line} AS line, text AS raw, 'not a JSON object' AS detail FROM clv_json_lines WHERE NOT ok AND trim(text) <> ''`);
  await warehouse.execute('DROP TABLE clv_json_lines');
  return stagedTable(warehouse, { columns: await stageColumns(warehouse), hasHeader: true, delimiter: null, encoding: 'utf-8', lineSql: '__line' });
}

/**
 * Make a source file ready for the judging pass, through the engine (never
 * the whole file in JS memory; XLSX streams row by row). Every value is text.
 * A delimited file is only sniffed and sampled here: the judging pass reads
 * it through the engine's reader; other formats are copied into the staging
 * table, where `__line` (or the row's position) gives the line in the file.
 */
export async function stageSource(warehouse: Warehouse, source: SourceInspection, options: StageOptions = {}): Promise<StagedSource> {
  if (source.gzip) await checkGzipComplete(source.path); // the engine's reader would stop quietly where the stream is cut
  const path = sqlPath(warehouse, source.path);
  switch (source.format) {
    case 'parquet':
      return stageTableFunction(warehouse, `read_parquet(${path})`, 'Parquet', source.path);
    case 'jsonl':
      return stageJsonLines(warehouse, source);
    case 'xlsx':
      return stageXlsx(warehouse, source, options);
    case 'whitespace':
      return options.delimiter !== undefined && options.delimiter !== 'whitespace' ? stageCsv(warehouse, source, options) : stageWhitespace(warehouse, source, options);
    case 'csv':
      return options.delimiter === 'whitespace' ? stageWhitespace(warehouse, source, options) : stageCsv(warehouse, source, options);
  }
}
