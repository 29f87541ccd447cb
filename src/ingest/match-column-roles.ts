/**
 * The column matching every input kind shares (transactions, events,
 * customer profiles): `--map` flags first (by name, case-insensitive, or by
 * 1-based position), then common names, then value-based guesses. The kind
 * decides its roles, their synonyms and which are required.
 */
import { UserError } from '../core/errors/user-error.js';
import { commonestDelimiter, UNDETECTED_DELIMITERS } from './commonest-delimiter.js';
import { shellWord } from '../core/shell-word.js';
import { columnsFound, DATA_ROW_AS_HEADER_HINT } from './columns-found.js';

/** How each role was decided, for the ingest report. */
export type MappingOrigin = 'flag' | 'name' | 'value';

export interface MatchedColumns<R extends string> {
  readonly mapping: Partial<Record<R, string>>;
  readonly origin: Partial<Record<R, MappingOrigin>>;
}

/** A column name as compared with synonyms: lower case, letters and digits only. */
export function normaliseColumnName(name: string): string {
  // accents folded (Quantité → quantite, País → pais), ß as ss, before everything but letters and digits is dropped
  return name.toLowerCase().replaceAll('ß', 'ss').normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

/** `--map role=column`, quoted for a shell when it needs to be: `mapFlag('phone', 'Phone Number')` → `--map 'phone=Phone Number'`. */
export function mapFlag(role: string, column: string): string {
  return `--map ${shellWord(`${role}=${column}`)}`;
}

/**
 * Match roles to columns. `synonyms[role]` lists common names, most specific
 * first; a role with no synonyms is matched only by a flag. Flags for roles
 * outside `roles` are ignored (one `--map` list serves files of every kind).
 * A column serves one role: two flags naming the same column are refused in
 * one line naming the column and both roles. A flag taking the column another
 * role (without a flag) finds by its name leaves that role unmatched — `--map
 * amount=Price` where unit_price would be Price, `--map product_id=Description`,
 * an event file's `--map anonymous_id=user_id` — unless `needed(role, mapping)`
 * says the file cannot do without it (`--map discount=UnitPrice`, where
 * UnitPrice is the only order value): then it is refused the same way.
 *
 * Example: `matchColumnRoles(['ts', 'kind'], { type: 'kind' }, ['ts', 'type'], { ts: ['ts'], type: ['type'] })`
 * → `{ mapping: { type: 'kind', ts: 'ts' }, origin: { type: 'flag', ts: 'name' } }`
 */
export function matchColumnRoles<R extends string>(
  columns: readonly string[],
  flags: Partial<Record<string, string>>,
  roles: readonly R[],
  synonyms: Readonly<Record<R, readonly string[]>>,
  guesses: Partial<Record<R, string>> = {},
  needed: (role: R, mapping: Partial<Record<R, string>>) => boolean = () => false,
): MatchedColumns<R> {
  const mapping: Partial<Record<R, string>> = {};
  const origin: Partial<Record<R, MappingOrigin>> = {};
  const used = new Set<string>();
  const flaggedRole = new Map<string, R>(); // column → the role a flag gave it
  const displaced: { role: R; column: string; taker: R }[] = []; // roles whose column (by name) a flag took
  for (const role of roles) {
    const wanted = flags[role];
    if (wanted === undefined) continue;
    let column: string | undefined;
    if (/^\d+$/.test(wanted)) {
      const position = Number(wanted);
      if (position < 1 || position > columns.length) {
        const found = columnsFound(columns, false);
        throw new UserError(`--map ${role}=${wanted}: the file has ${columns.length} columns`, `positions are 1..${columns.length}; columns found: ${found.text}${found.dataRow ? `; ${DATA_ROW_AS_HEADER_HINT}` : ''}`);
      }
      column = columns[position - 1];
    } else {
      column = columns.find((c) => c === wanted) ?? columns.find((c) => c.toLowerCase() === wanted.toLowerCase());
    }
    if (column === undefined) {
      const found = columnsFound(columns, false);
      throw new UserError(`--map ${role}=${wanted}: no such column`, `columns found: ${found.text}${found.dataRow ? `; ${DATA_ROW_AS_HEADER_HINT}` : ''}`);
    }
    const other = flaggedRole.get(column);
    if (other !== undefined) {
      throw new UserError(`column ${column} is mapped to two roles: ${mapFlag(other, flags[other]!)}, and ${mapFlag(role, wanted)}`, `a column serves one role: map ${other} or ${role} to another column`);
    }
    flaggedRole.set(column, role);
    mapping[role] = column;
    origin[role] = 'flag';
    used.add(column);
  }
  for (const role of roles) {
    if (mapping[role] !== undefined) continue;
    const names = synonyms[role];
    // Prefer the earliest synonym (most specific) over column order.
    let best: string | undefined;
    let bestRank = Infinity;
    for (const column of columns) {
      if (used.has(column) && !flaggedRole.has(column)) continue; // a column a flag took still counts: see below
      const rank = names.indexOf(normaliseColumnName(column));
      if (rank >= 0 && rank < bestRank) {
        best = column;
        bestRank = rank;
      }
    }
    const taker = best === undefined ? undefined : flaggedRole.get(best);
    if (taker !== undefined) {
      displaced.push({ role, column: best!, taker });
      continue;
    }
    if (best !== undefined) {
      mapping[role] = best;
      origin[role] = 'name';
      used.add(best);
    }
  }
  // a role whose column a flag took, decided with every other role matched (whether the file still has an order value)
  for (const { role, column, taker } of displaced) {
    if (!needed(role, mapping)) continue;
    throw new UserError(
      `column ${column} is mapped to two roles: ${mapFlag(taker, flags[taker]!)}, and ${role} by its name`,
      `a column serves one role: map ${role} to another column (--map ${role}=<column>), or ${taker} to another column`,
    );
  }
  for (const [role, column] of Object.entries(guesses) as [R, string][]) {
    if (mapping[role] !== undefined || used.has(column)) continue;
    mapping[role] = column;
    origin[role] = 'value';
    used.add(column);
  }
  return { mapping, origin };
}

/**
 * A one-line UserError for a required role left unmatched, listing the columns found. `hint`: a hint of the caller's
 * for a role (one it knows a better answer for), before the general ones.
 */
export function requireRoles<R extends string>(mapping: Partial<Record<R, string>>, required: readonly R[], columns: readonly string[], what = '', hint?: (role: R) => string | undefined): void {
  const found = columnsFound(columns, true);
  for (const role of required) {
    if (mapping[role] === undefined) {
      // a data row read as the header: its values are masked, and the hint says why (a hint from the names would quote them)
      throw new UserError(`no column for required role '${role}'${what} (columns found: ${found.text})`, found.dataRow ? DATA_ROW_AS_HEADER_HINT : (hint?.(role) ?? missingRoleHint(role, columns)));
    }
  }
}

/** What would help: the delimiter the one column found holds, `clvkit fit` for a customer summary, else --map. */
function missingRoleHint(role: string, columns: readonly string[]): string {
  const delimiter = columns.length === 1 ? (commonestDelimiter(columns[0]!) ?? commonestDelimiter(columns[0]!, UNDETECTED_DELIMITERS)) : undefined;
  // a line that starts with the character (a Markdown heading `# Title`, a comment) is no header of names split by it
  if (delimiter !== undefined && columns[0]!.split(delimiter)[0]!.trim() === '') {
    const line = columns[0]!.trim();
    return `the first line, '${line.length > 60 ? `${line.slice(0, 59)}…` : line}', is no header of column names: is this a data file (CSV/TSV, Parquet, JSON Lines, XLSX)? (a header whose names are split by a character the reader does not detect needs --delimiter)`;
  }
  if (delimiter !== undefined) {
    const shown = delimiter === '\t' ? '\\t' : delimiter;
    return `the header was read as one column and holds '${shown}': pass --delimiter '${shown}'`;
  }
  const names = new Set(columns.map((c) => c.toLowerCase()));
  if (names.has('frequency') && names.has('recency') && (names.has('t') || names.has('periods'))) {
    return 'this is a customer summary (frequency, recency, …), not transactions: fit it with clvkit fit FILE --model bgnbd (or bgbb for frequency, recency, periods)';
  }
  // product ids and no column that could be a date or a customer: a catalogue, which no --map turns into purchases
  if (columns.some((c) => PRODUCT_NAME.test(c.trim())) && !columns.some((c) => DATE_OR_CUSTOMER_NAME.test(c))) {
    return 'this looks like a product catalogue (product ids and prices, no customer and no date), not transactions: ingest the order lines instead (of a clvkit synth folder: transactions.csv, customers.csv and events.csv); a catalogue is not read';
  }
  return `pass --map ${role}=<column name or 1-based position>`;
}

/** A column named as a product id (`product_id`, `SKU`, `StockCode`, `item_id`, `article`). */
const PRODUCT_NAME = /^(product[ _-]?(id|code)?|sku|stock[ _-]?code|item[ _-]?id|article)$/i;
/** A column whose name could hold a date or a customer (`order_date`, `Created at`, `timestamp`, `client`, `email`, `user`). */
const DATE_OR_CUSTOMER_NAME = /date|time|created|day|customer|client|user|member|buyer|email|kunde|cliente/i;
