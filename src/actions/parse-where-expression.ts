import { UserError } from '../core/errors/user-error.js';

/** A literal of a `--where` expression. */
export type WhereLiteral =
  | { readonly type: 'number'; readonly value: number }
  /** `at`: 0-based position of its opening quote (for messages) */
  | { readonly type: 'string'; readonly value: string; readonly at?: number }
  | { readonly type: 'boolean'; readonly value: boolean };

/** A column reference: `stage`, or `customer_rfm.frequency` when a name is in several tables. */
export interface WhereColumn {
  readonly table: string | null;
  readonly name: string;
  /** 0-based position in the expression (for messages) */
  readonly at: number;
}

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** The parsed form of a `--where` expression. */
export type WhereNode =
  | { readonly kind: 'and' | 'or'; readonly left: WhereNode; readonly right: WhereNode }
  | { readonly kind: 'not'; readonly operand: WhereNode }
  | { readonly kind: 'compare'; readonly column: WhereColumn; readonly op: CompareOperator; readonly value: WhereLiteral }
  | { readonly kind: 'in'; readonly column: WhereColumn; readonly values: readonly WhereLiteral[]; readonly negated: boolean }
  | { readonly kind: 'between'; readonly column: WhereColumn; readonly low: WhereLiteral; readonly high: WhereLiteral; readonly negated: boolean }
  | { readonly kind: 'null'; readonly column: WhereColumn; readonly negated: boolean }
  | { readonly kind: 'constant'; readonly value: boolean };

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'BETWEEN', 'TRUE', 'FALSE']);
const MAX_LENGTH = 4000;

/**
 * Where the filter came from, named in every refusal of the parser and the compiler: the CLI's flag `--where`
 * (the default), the field `where` of an API request (the dashboard shows the message as it is), or the field
 * `where` of a play in a playbook file (`within`: `playbook mine.json play win-back`).
 */
export interface WhereSource {
  /** a flag (`--where`: its examples read `--where "…"`) or a field of a JSON (or YAML) document (`where`: `"where": "…"`) */
  readonly field: string;
  /** what holds the field, named before it (`playbook mine.json play win-back where: …`); none for a flag or a request's field */
  readonly within?: string;
}

/** A refusal in the words of the filter's source. */
type Fail = (message: string, hint?: string) => never;

/** The CLI's flag: the wording when no source is given. */
export const WHERE_FLAG: WhereSource = { field: '--where' };

/** The filter as its refusals name it: `--where`, `where`, `playbook mine.json play win-back where`. */
export function whereName(source: WhereSource): string {
  return source.within ? `${source.within} ${source.field}` : source.field;
}

/** A filter as it is given from `source`: `--where "…"` for a flag, `"where": "…"` for a field of a JSON body. */
export function whereExample(source: WhereSource, expression: string): string {
  return source.field.startsWith('-') ? `${source.field} "${expression}"` : `"${source.field}": "${expression}"`;
}

/** The hint of a refusal without a more precise one: an example filter, as it is given from `source`. */
function exampleHint(source: WhereSource): string {
  return `e.g. ${whereExample(source, "stage IN ('at_risk','dormant') AND predicted_clv_12m > 50")} (docs/actions.md lists the columns)`;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `'${token.value}' at character ${token.at + 1}`;
    case 'number':
    case 'word':
    case 'symbol':
      return `${JSON.stringify(token.text)} at character ${token.at + 1}`;
  }
}

function tokenize(text: string, fail: Fail, example: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    if (ch === "'" || ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail(`the text starting at character ${at + 1} has no closing quote`, "quote text with single quotes; write a quote inside as two: 'O''Brien'");
        if (text[i] === ch) {
          if (text[i + 1] === ch) {
            value += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'string', value, at });
      continue;
    }
    const number = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number && (ch !== '-' || tokens.length === 0 || tokens.at(-1)!.kind === 'symbol' || (tokens.at(-1)!.kind === 'word' && KEYWORDS.has((tokens.at(-1) as { text: string }).text.toUpperCase())))) {
      const value = Number(number[0]);
      // past a double's range (1e400, -2e308): no column holds it, and SQL has no literal for Infinity (the API answered 500)
      if (!Number.isFinite(value)) fail(`the number ${number[0]} at character ${at + 1} is too large (beyond ±1.8e308)`, 'compare with a number a column can hold, e.g. predicted_clv_12m > 1e6');
      tokens.push({ kind: 'number', value, text: number[0], at });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at });
      i += word[0].length;
      continue;
    }
    const symbol = /^(<=|>=|<>|!=|==|[=<>(),])/.exec(text.slice(i));
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol[0], at });
      i += symbol[0].length;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(ch)} at character ${at + 1}`, `${example}; allowed: comparisons (= != < <= > >=), IN (…), BETWEEN … AND …, IS [NOT] NULL, AND, OR, NOT, parentheses`);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/**
 * Parses an audience filter (`clvkit audience create --where`) into a tree;
 * nothing of the text ever reaches SQL as text — `compileWhereExpression`
 * checks every column against the derived-table catalogue and writes every
 * value as an escaped literal. Grammar (keywords in any case):
 *
 * ```
 * expr       := or
 * or         := and (OR and)*
 * and        := unary (AND unary)*
 * unary      := NOT unary | '(' expr ')' | TRUE | FALSE | predicate
 * predicate  := column op value | column [NOT] IN '(' value (',' value)* ')'
 *             | column [NOT] BETWEEN value AND value | column IS [NOT] NULL
 * op         := = | == | != | <> | < | <= | > | >=
 * value      := number | 'text' ('' for a quote) | "text" ("" for a quote) | TRUE | FALSE
 * column     := name | table.name
 * ```
 *
 * Errors are one-line `UserError`s naming the position, in the words of
 * `source`: `--where: …` for the CLI (the default), `where: …` for the API,
 * `playbook mine.json play win-back where: …` for a play's filter.
 *
 * Example: `parseWhereExpression("stage IN ('at_risk') AND p_alive > 0.5")` →
 * `{ kind: 'and', left: { kind: 'in', … }, right: { kind: 'compare', op: '>', … } }`
 */
export function parseWhereExpression(text: string, source: WhereSource = WHERE_FLAG): WhereNode {
  const example = exampleHint(source);
  // typed, so that a call narrows as one of a function that never returns
  const fail: Fail = (message, hint = example) => {
    throw new UserError(`${whereName(source)}: ${message}`, hint);
  };
  if (text.trim() === '') fail('the expression is empty');
  if (text.length > MAX_LENGTH) fail(`the expression is longer than ${MAX_LENGTH} characters`, 'split the audience into simpler ones');
  const tokens = tokenize(text, fail, example);
  let position = 0;
  let depth = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.text.toUpperCase() === word;
  const isSymbol = (token: Token, symbol: string) => token.kind === 'symbol' && token.text === symbol;
  const expectSymbol = (symbol: string, what: string) => {
    const token = next();
    if (!isSymbol(token, symbol)) fail(`expected ${what} but found ${describe(token)}`);
  };

  function literal(): WhereLiteral {
    const token = next();
    if (token.kind === 'number') return { type: 'number', value: token.value };
    if (token.kind === 'string') return { type: 'string', value: token.value, at: token.at };
    if (isWord(token, 'TRUE') || isWord(token, 'FALSE')) return { type: 'boolean', value: isWord(token, 'TRUE') };
    if (token.kind === 'word' && !KEYWORDS.has(token.text.toUpperCase())) fail(`expected a value but found the name ${describe(token)}`, "quote text values with single quotes, e.g. stage = 'at_risk'; a column may only be compared with a value");
    return fail(`expected a value but found ${describe(token)}`);
  }

  function column(): WhereColumn {
    const token = next();
    if (token.kind !== 'word' || KEYWORDS.has(token.text.toUpperCase())) fail(`expected a column name but found ${describe(token)}`);
    const [first, second] = token.text.split('.');
    return second === undefined ? { table: null, name: first!, at: token.at } : { table: first!, name: second, at: token.at };
  }

  function predicate(): WhereNode {
    const col = column();
    const token = next();
    if (token.kind === 'symbol' && ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)) {
      const op = (token.text === '==' ? '=' : token.text === '<>' ? '!=' : token.text) as CompareOperator;
      return { kind: 'compare', column: col, op, value: literal() };
    }
    let negated = false;
    let keyword = token;
    if (isWord(token, 'NOT')) {
      negated = true;
      keyword = next();
    }
    if (isWord(keyword, 'IN')) {
      expectSymbol('(', "'(' after IN");
      const values = [literal()];
      while (isSymbol(peek(), ',')) {
        next();
        values.push(literal());
      }
      expectSymbol(')', "',' or ')' in the IN list");
      return { kind: 'in', column: col, values, negated };
    }
    if (isWord(keyword, 'BETWEEN')) {
      const low = literal();
      if (!isWord(next(), 'AND')) fail(`expected AND in ${col.name} BETWEEN … AND …`);
      return { kind: 'between', column: col, low, high: literal(), negated };
    }
    if (!negated && isWord(keyword, 'IS')) {
      let isNegated = false;
      if (isWord(peek(), 'NOT')) {
        next();
        isNegated = true;
      }
      if (!isWord(next(), 'NULL')) fail(`expected NULL after ${col.name} IS`);
      return { kind: 'null', column: col, negated: isNegated };
    }
    return fail(`expected a comparison (= != < <= > >=, IN, BETWEEN, IS NULL) after ${col.name} but found ${describe(keyword)}`);
  }

  function unary(): WhereNode {
    const token = peek();
    if (isWord(token, 'NOT')) {
      next();
      return { kind: 'not', operand: unary() };
    }
    if (isSymbol(token, '(')) {
      next();
      if (++depth > 50) fail('parentheses are nested more than 50 deep');
      const inner = or();
      depth--;
      expectSymbol(')', "')'");
      return inner;
    }
    if (isWord(token, 'TRUE') || isWord(token, 'FALSE')) {
      next();
      return { kind: 'constant', value: isWord(token, 'TRUE') };
    }
    return predicate();
  }

  function and(): WhereNode {
    let left = unary();
    while (isWord(peek(), 'AND')) {
      next();
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  }

  function or(): WhereNode {
    let left = and();
    while (isWord(peek(), 'OR')) {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  const tree = or();
  const rest = peek();
  if (rest.kind !== 'end') fail(`unexpected ${describe(rest)}`, `${example}; join conditions with AND or OR`);
  return tree;
}
