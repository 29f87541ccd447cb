import { parseDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { DERIVED_TABLES, type DerivedColumn, type DerivedTable } from '../engine/derived-tables.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import { CATEGORY_LABELS, type CategoryComparison } from './category-values.js';
import { WHERE_FLAG, whereName, type WhereColumn, type WhereLiteral, type WhereNode, type WhereSource } from './parse-where-expression.js';
import { editDistance as distance } from '../core/edit-distance.js';

/** A column an audience filter may use: a column of a derived table (the customer token excepted). */
export interface AudienceColumn {
  readonly table: DerivedTable;
  readonly column: DerivedColumn;
}

/** A compiled filter: SQL over the derived tables' aliases, and the tables it needs. */
export interface CompiledWhere {
  readonly sql: string;
  /** derived tables the filter reads (by name), in catalogue order */
  readonly tables: readonly string[];
  /** the category columns it compares with texts (`=`, `<>`, `[NOT] IN`), for `checkCategoryValues` once the tables exist */
  readonly categories: readonly CategoryComparison[];
  /** the money columns it reads (`predicted_clv_12m`, …): NULL on a warehouse without order values */
  readonly money: readonly string[];
  /** the number columns it compares by size (`<`, `<=`, `>`, `>=`, BETWEEN), as named and as SQL: an empty audience's hint gives their ranges */
  readonly ranged: readonly { readonly name: string; readonly sql: string }[];
}

/**
 * Every column an audience filter may name, by name; a name held by several
 * tables (e.g. `frequency`) resolves to the first table of the catalogue
 * that holds it, and any column can be named `table.column`.
 */
export function audienceColumns(): ReadonlyMap<string, AudienceColumn> {
  const columns = new Map<string, AudienceColumn>();
  for (const table of DERIVED_TABLES) {
    for (const column of table.columns) {
      if (column.class === 'token') continue;
      if (!columns.has(column.name)) columns.set(column.name, { table, column });
      columns.set(`${table.name}.${column.name}`, { table, column });
    }
  }
  return columns;
}

function resolveColumn(ref: WhereColumn, columns: ReadonlyMap<string, AudienceColumn>, source: WhereSource): AudienceColumn {
  const key = ref.table ? `${ref.table}.${ref.name}` : ref.name;
  const found = columns.get(key);
  if (found) return found;
  const names = [...columns.keys()].filter((k) => !k.includes('.'));
  const close = names.filter((n) => distance(n, ref.name) <= 2).sort((a, b) => distance(a, ref.name) - distance(b, ref.name));
  throw new UserError(
    `${whereName(source)}: unknown column ${key} at character ${ref.at + 1}`,
    close.length > 0 ? `did you mean ${close.slice(0, 3).join(', ')}? (columns: docs/actions.md)` : `columns: ${names.join(', ')}`,
  );
}

/**
 * Why a filter on money columns matches no one on a warehouse without order
 * values (`predicted_clv_12m` and its kind are NULL there), and what it may
 * filter on instead: one wording for audiences and playbooks.
 */
export function unvaluedMoneyColumns(money: readonly string[]): { readonly reason: string; readonly hint: string } {
  return {
    reason: `${money.join(', ')} ${money.length === 1 ? 'is' : 'are'} not computed: the data has no order values (customer and date only)`,
    hint: 'filter on what is: expected_purchases_30d, expected_purchases_90d, expected_purchases_365d, p_alive, orders, frequency, recency, stage, segment',
  };
}

const isNumeric = (c: DerivedColumn) => c.type === 'DOUBLE' || c.type === 'BIGINT';

/** The literal as SQL for a column of this type, or a one-line UserError (in the words of `source`) when the types do not match. */
function literalFor(target: AudienceColumn, value: WhereLiteral, d: SqlDialect, source: WhereSource): string {
  const { column } = target;
  const filter = whereName(source);
  if (isNumeric(column)) {
    if (value.type !== 'number') throw new UserError(`${filter}: ${column.name} is a number, compared with ${value.type === 'string' ? `'${value.value}'` : String(value.value)}`, `compare it with a number, e.g. ${column.name} > 10`);
    return d.literal(value.value);
  }
  if (column.type === 'DATE') {
    const example = `${column.name} <= '2024-06-30'`;
    if (value.type !== 'string') throw new UserError(`${filter}: ${column.name} is a date, compared with ${String(value.value)}`, `compare it with a quoted date, e.g. ${example}`);
    let day: string;
    try {
      day = parseDay(value.value, `${filter} ${column.name}`);
    } catch {
      throw new UserError(`${filter} ${column.name} ${value.value} is not a date`, `write it as YYYY-MM-DD, e.g. ${example}`);
    }
    return `CAST(${d.literal(day)} AS DATE)`;
  }
  if (value.type !== 'string') throw new UserError(`${filter}: ${column.name} is text, compared with ${String(value.value)}`, `quote the value, e.g. ${column.name} = '${value.value}'`);
  return d.literal(value.value);
}

/**
 * Compiles a parsed `--where` tree to SQL for a query in which every derived
 * table is joined under its catalogue alias (`s` for customer_summary, `c`
 * for customer_scores, `g` for customer_stages, …). Columns are checked
 * against the catalogue (`UserError` for an unknown one, with a suggestion)
 * and compared only with values of their type; values are written by the
 * dialect's escaping `literal`, never pasted. Refusals are one-line
 * `UserError`s in the words of `source` (`parseWhereExpression`'s): `--where: …`
 * for the CLI (the default), `where: …` for the API, `playbook mine.json play
 * win-back where: …` for a play's filter. Texts a category column is compared
 * with are returned in `categories`: whether the column can hold them is read
 * from the warehouse (`checkCategoryValues`), once its tables exist.
 *
 * Example: `compileWhereExpression(parseWhereExpression("stage = 'new' AND p_alive > 0.5"), duckdbDialect)` →
 * `{ sql: "(g.\"stage\" = 'new' AND c.\"p_alive\" > 0.5)", tables: ['customer_scores', 'customer_stages'], categories: [{ table: 'customer_stages', column: 'stage', values: [{ value: 'new', at: 8 }] }] }`
 */
export function compileWhereExpression(tree: WhereNode, d: SqlDialect, source: WhereSource = WHERE_FLAG): CompiledWhere {
  const columns = audienceColumns();
  const used = new Set<string>();
  const categories: CategoryComparison[] = [];
  const money: string[] = [];
  const ranged: { name: string; sql: string }[] = [];
  const sized = (c: WhereColumn, sql: string, target: AudienceColumn) => {
    const name = c.table ? `${c.table}.${c.name}` : c.name;
    if ((target.column.type === 'DOUBLE' || target.column.type === 'BIGINT') && !ranged.some((r) => r.sql === sql)) ranged.push({ name, sql });
  };
  // a category column compared with texts: kept for checkCategoryValues (the values it can hold are read from the warehouse)
  const category = (target: AudienceColumn, values: readonly WhereLiteral[], fallback: number) => {
    if (!CATEGORY_LABELS.has(`${target.table.name}.${target.column.name}`)) return;
    const texts = values.flatMap((v) => (v.type === 'string' ? [{ value: v.value, at: v.at ?? fallback }] : []));
    if (texts.length > 0) categories.push({ table: target.table.name, column: target.column.name, values: texts });
  };
  const ref = (c: WhereColumn): { sql: string; target: AudienceColumn } => {
    const target = resolveColumn(c, columns, source);
    used.add(target.table.name);
    if (target.column.money && !money.includes(target.column.name)) money.push(target.column.name);
    return { sql: `${target.table.alias}.${d.identifier(target.column.name)}`, target };
  };
  const walk = (node: WhereNode): string => {
    switch (node.kind) {
      case 'and':
        return `(${walk(node.left)} AND ${walk(node.right)})`;
      case 'or':
        return `(${walk(node.left)} OR ${walk(node.right)})`;
      case 'not':
        return `(NOT ${walk(node.operand)})`;
      case 'constant':
        return node.value ? '(1 = 1)' : '(1 = 0)'; // no TRUE / FALSE in ClickHouse 18.16
      case 'compare': {
        const { sql, target } = ref(node.column);
        const literal = literalFor(target, node.value, d, source);
        if (node.op === '=' || node.op === '!=') category(target, [node.value], node.column.at);
        else sized(node.column, sql, target);
        return `${sql} ${node.op === '!=' ? '<>' : node.op} ${literal}`;
      }
      case 'in': {
        const { sql, target } = ref(node.column);
        const literals = node.values.map((v) => literalFor(target, v, d, source));
        category(target, node.values, node.column.at);
        return `${sql} ${node.negated ? 'NOT IN' : 'IN'} (${literals.join(', ')})`;
      }
      case 'between': {
        const { sql, target } = ref(node.column);
        sized(node.column, sql, target);
        return `${sql} ${node.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${literalFor(target, node.low, d, source)} AND ${literalFor(target, node.high, d, source)}`;
      }
      case 'null': {
        const { sql } = ref(node.column);
        return `${sql} IS ${node.negated ? 'NOT ' : ''}NULL`;
      }
    }
  };
  const sql = walk(tree);
  return { sql, tables: DERIVED_TABLES.map((t) => t.name).filter((name) => used.has(name)), categories, money, ranged };
}
