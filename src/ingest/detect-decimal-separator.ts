import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { SourceFormat } from './inspect-source.js';
import { NUMBER_SHAPES, parseDecimalSeparator, readWithSeparator, separatorName, TRAILING_CURRENCY, type DecimalSeparator } from './decimal-separator.js';

/** What the sampled numbers of a file say about its decimal separator: how many values fit only one, and one of each. */
export interface DecimalEvidence {
  /** values only a decimal point reads (`2.50`, `1,234.50`, `1,234,567`) */
  readonly point: number;
  readonly pointExample?: string;
  /** values only a decimal comma reads (`12,5`, `1.234,50`, `1.234.567`) */
  readonly comma: number;
  readonly commaExample?: string;
  /** values both read, differently (`1,234`, `1.234`) */
  readonly ambiguous: number;
  readonly ambiguousExample?: { readonly value: string; readonly column: string };
}

export interface DecimalSeparatorDecision {
  /** the file's separator; undefined when the sampled numbers hold no decimals and none was given */
  readonly separator?: DecimalSeparator;
  /** a warning for the ingest report: sampled values that do not fit the separator (their rows are quarantined) */
  readonly warning?: string;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The file's decimal separator from the evidence of its sampled numbers:
 * `given` (`--decimal-separator`) when there is one (with a warning when
 * sampled values do not fit it); else the only separator the values fit;
 * when values fit both, the one more of them fit (with a warning: the rows of
 * the other are quarantined) — a tie is refused; when no value decides and
 * some are of the shape both read differently (`1,234`), refused (a
 * `UserError` whose hint says what each separator makes of the example).
 * No decimals at all: undefined.
 *
 * Example: `decideDecimalSeparator({ point: 2, pointExample: '2.50', comma: 0, ambiguous: 1, ambiguousExample: { value: '1,234', column: 'price' } })` → `{ separator: '.' }`
 */
export function decideDecimalSeparator(evidence: DecimalEvidence, given?: DecimalSeparator, source = 'the file'): DecimalSeparatorDecision {
  const { point, comma } = evidence;
  const describe = (separator: DecimalSeparator) =>
    separator === '.' ? `${count(point)} use a decimal point (e.g. ${evidence.pointExample})` : `${count(comma)} a decimal comma (e.g. ${evidence.commaExample})`;
  if (given !== undefined) {
    const misfits = given === '.' ? comma : point;
    if (misfits === 0) return { separator: given };
    const example = given === '.' ? evidence.commaExample : evidence.pointExample;
    return { separator: given, warning: `${count(misfits)} sampled numbers (e.g. ${example}) do not fit a ${separatorName(given)}, as --decimal-separator gives: their rows are quarantined as bad_number` };
  }
  if (point > 0 && comma > 0) {
    const disagree = `sampled numbers disagree: ${describe('.')}, ${describe(',')}`;
    if (point === comma) throw new UserError(`${source}: ${disagree}, as many each`, 'pass --decimal-separator . or --decimal-separator , (the rows that do not fit it are quarantined as bad_number)');
    const separator: DecimalSeparator = point > comma ? '.' : ',';
    const other: DecimalSeparator = separator === '.' ? ',' : '.';
    return { separator, warning: `${disagree}; read with a ${separatorName(separator)}, the majority: the rows of the other are quarantined as bad_number; pass --decimal-separator ${other} if the file uses a ${separatorName(other)}` };
  }
  if (point > 0) return { separator: '.' };
  if (comma > 0) return { separator: ',' };
  if (evidence.ambiguous > 0 && evidence.ambiguousExample) {
    const { value, column } = evidence.ambiguousExample;
    throw new UserError(
      `${source}: numbers such as ${value} (column ${column}) may use a decimal point or a decimal comma, and no sampled value tells which`,
      `pass --decimal-separator . (reads ${value} as ${readWithSeparator(value, '.')}) or --decimal-separator , (reads it as ${readWithSeparator(value, ',')})`,
    );
  }
  return {};
}

const SAMPLE_TABLE = 'clv_number_sample';

/** Formats whose readers hold typed numbers (see `NumberSample.typed`). */
export const TYPED_FORMATS: ReadonlySet<SourceFormat> = new Set(['parquet', 'jsonl', 'xlsx']);

/** How many rows of a file (its first) decide its decimal separator. */
export const NUMBER_SAMPLE_ROWS = 20000;

/** A file's numbers to decide its decimal separator from. */
export interface NumberSample {
  /** table or view of the file's rows, in file order */
  readonly table: string;
  /** its number columns */
  readonly columns: readonly string[];
  /** the file's name, for messages */
  readonly source: string;
  /**
   * the file holds typed numbers (Parquet, JSON Lines, XLSX cells), which the reader writes with a decimal point: there
   * `1.234` is a decimal point (a text would rarely hold it), while `1,234` (only a text holds a comma) stays ambiguous
   */
  readonly typed?: boolean;
}

/**
 * The decimal separator of a file from the numbers of its columns in the
 * first `sampleSize` rows (`decideDecimalSeparator`; `given`, the
 * `--decimal-separator` text, decides when present). Whole numbers say
 * nothing. Nothing to decide without number columns or rows.
 */
export async function detectDecimalSeparator(warehouse: Warehouse, sample: NumberSample, given: string | undefined, sampleSize = NUMBER_SAMPLE_ROWS): Promise<DecimalSeparatorDecision> {
  const { table, columns, source } = sample;
  const separator = given === undefined ? undefined : parseDecimalSeparator(given);
  const unique = [...new Set(columns)];
  if (unique.length === 0) return separator ? { separator } : {};
  const d = warehouse.dialect;
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${SAMPLE_TABLE} AS SELECT ${unique.map((c, i) => `trim(${d.identifier(c)}) AS c${i}`).join(', ')} FROM ${table} LIMIT ${sampleSize}`);
  try {
    const bare = (v: string) => d.replaceFirstMatch(d.replaceFirstMatch(v, '^[-+]?[$€£¥]?', ''), `${TRAILING_CURRENCY}$`, '');
    const shape = (v: string, s: string) => d.fullMatch(bare(v), s);
    const kind = (v: string) => `CASE
      WHEN ${shape(v, NUMBER_SHAPES.ambiguous)} THEN ${sample.typed ? `CASE WHEN ${v} LIKE '%.%' THEN 'point' ELSE 'ambiguous' END` : "'ambiguous'"}
      WHEN ${shape(v, NUMBER_SHAPES.pointGrouped)} OR ${shape(v, NUMBER_SHAPES.pointDecimal)} THEN 'point'
      WHEN ${shape(v, NUMBER_SHAPES.commaGrouped)} OR ${shape(v, NUMBER_SHAPES.commaDecimal)} THEN 'comma'
      WHEN ${shape(v, `${NUMBER_SHAPES.spaceGrouped}[.][0-9]+`)} THEN 'point'
      WHEN ${shape(v, `${NUMBER_SHAPES.spaceGrouped},[0-9]+`)} THEN 'comma'
    END`;
    const perColumn = unique.map((column, i) => `SELECT ${i} AS col, c${i} AS v, ${kind(`c${i}`)} AS kind FROM ${SAMPLE_TABLE} WHERE c${i} LIKE '%.%' OR c${i} LIKE '%,%'`);
    const rows = await warehouse.query(`SELECT col, kind, count(*) AS n, min(v) AS example FROM (${perColumn.join(' UNION ALL ')}) s WHERE kind IS NOT NULL GROUP BY col, kind ORDER BY col`);
    const of = (k: string) => rows.filter((r) => r.kind === k);
    const total = (k: string) => of(k).reduce((sum, r) => sum + Number(r.n), 0);
    const first = of('ambiguous')[0];
    const evidence: DecimalEvidence = {
      point: total('point'),
      comma: total('comma'),
      ambiguous: total('ambiguous'),
      ...(of('point')[0] ? { pointExample: String(of('point')[0]!.example) } : {}),
      ...(of('comma')[0] ? { commaExample: String(of('comma')[0]!.example) } : {}),
      ...(first ? { ambiguousExample: { value: String(first.example), column: unique[Number(first.col)]! } } : {}),
    };
    return decideDecimalSeparator(evidence, separator, source);
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${SAMPLE_TABLE}`);
  }
}
