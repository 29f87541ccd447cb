import { describe, expect, it } from 'vitest';
import { audienceColumns, compileWhereExpression } from '../../src/actions/compile-where-expression.js';
import { parseWhereExpression, type WhereSource } from '../../src/actions/parse-where-expression.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { duckdbDialect } from '../../src/engine/sql-dialect.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

const compile = (text: string, source?: WhereSource) => compileWhereExpression(parseWhereExpression(text, source), duckdbDialect, source);

function userError(text: string, source?: WhereSource): UserError {
  try {
    compile(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`no error for ${text}`);
}

describe('--where: parsing and compiling over the derived-table catalogue', () => {
  it('compiles the issue’s example to SQL over the catalogue aliases, values as literals', () => {
    expect(compile("stage IN ('at_risk','dormant') AND predicted_clv_12m > 50")).toEqual({
      sql: `(g."stage" IN ('at_risk', 'dormant') AND c."predicted_clv_12m" > 50)`,
      tables: ['customer_scores', 'customer_stages'],
    });
  });

  it('AND binds tighter than OR; NOT, parentheses, BETWEEN, IS NULL, != and keywords in any case', () => {
    expect(compile("segment = 'Champions' or value_tier = 'high' and p_alive >= 0.5").sql).toBe(`(r."segment" = 'Champions' OR (v."value_tier" = 'high' AND c."p_alive" >= 0.5))`);
    expect(compile("NOT (stage = 'new' OR cluster <> 2)").sql).toBe(`(NOT (g."stage" = 'new' OR k."cluster" <> 2))`);
    expect(compile('frequency between 1 and 3 AND next_order_p50 IS NOT NULL').sql).toBe(`(s."frequency" BETWEEN 1 AND 3 AND c."next_order_p50" IS NOT NULL)`);
    expect(compile("stage not in ('churned') and recency != -1.5e0").sql).toBe(`(g."stage" NOT IN ('churned') AND s."recency" <> -1.5)`);
    expect(compile('TRUE').sql).toBe('(1 = 1)'); // ClickHouse 18.16 has no TRUE: the constant is written as a comparison every engine reads
    expect(compile('FALSE OR stage = \'new\'').sql).toBe(`((1 = 0) OR g."stage" = 'new')`);
    // double quotes are text too (a shell script's habit), with "" for a quote inside
    expect(compile('stage = "at_risk" OR segment = "Can""t Lose"').sql).toBe(`(g."stage" = 'at_risk' OR r."segment" = 'Can"t Lose')`);
  });

  it('a name in several tables is the first table’s; table.column picks another; dates are checked and cast', () => {
    expect(compile('frequency > 2').sql).toBe(`s."frequency" > 2`);
    expect(compile('customer_rfm.frequency > 2')).toEqual({ sql: `r."frequency" > 2`, tables: ['customer_rfm'] });
    expect(compile("last_purchase >= '2024-01-31'").sql).toBe(`s."last_purchase" >= CAST('2024-01-31' AS DATE)`);
    expect(audienceColumns().has('customer_id')).toBe(false);
  });

  it('text with quotes stays one escaped literal: nothing of the input becomes SQL', async () => {
    const compiled = compile("segment = 'x'' OR 1=1 --'");
    expect(compiled.sql).toBe(`r."segment" = 'x'' OR 1=1 --'`);
    const warehouse = await memoryWarehouse();
    await warehouse.execute("CREATE TABLE customer_rfm AS SELECT 'c_1' AS customer_id, 'x'' OR 1=1 --' AS segment UNION ALL SELECT 'c_2', 'Champions'");
    const rows = await warehouse.query(`SELECT r.customer_id FROM customer_rfm r WHERE ${compiled.sql}`);
    expect(rows.map((r) => r.customer_id)).toEqual(['c_1']);
    await warehouse.close();
    expect(userError("stage = 'x'; DROP TABLE transactions").message).toBe('--where: unexpected character ";" at character 12');
  });

  it('refuses unknown columns (with a suggestion), wrong types and broken syntax in one line each', () => {
    const unknown = userError("stag IN ('new')");
    expect(unknown.message).toBe('--where: unknown column stag at character 1');
    expect(unknown.hint).toMatch(/^did you mean stage/);
    expect(userError('customer_id = 1').message).toBe('--where: unknown column customer_id at character 1');
    expect(userError("p_alive > 'high'").message).toBe("--where: p_alive is a number, compared with 'high'");
    expect(userError('stage = at_risk').message).toBe('--where: expected a value but found the name "at_risk" at character 9');
    expect(userError('segment = 5').hint).toBe("quote the value, e.g. segment = '5'");
    expect(userError("last_purchase > '31/01/2024'").message).toMatch(/^--where last_purchase/);
    expect(userError("stage IN ('new'").message).toBe("--where: expected ',' or ')' in the IN list but found the end of the expression");
    expect(userError("stage = 'new' stage = 'x'").message).toBe('--where: unexpected "stage" at character 15');
    expect(userError('  ').message).toBe('--where: the expression is empty');
    expect(userError("stage = 'new").message).toBe('--where: the text starting at character 9 has no closing quote');
    for (const text of ['(', 'p_alive >', 'AND', 'p_alive IS 1']) expect(() => compile(text)).toThrow(UserError);
  });

  // Regression: the server rewrote the parser's '--where: …' into its own words afterwards (and compiled the filter
  // twice for it); a bad date in the filter kept the CLI's words ('--where last_purchase … is not a date').
  it('says every refusal in the words of where the filter came from: the API\'s field where, a play\'s where in its playbook, the CLI\'s --where by default', () => {
    const api = { field: 'where' };
    const example = `e.g. "where": "stage IN ('at_risk','dormant') AND predicted_clv_12m > 50" (docs/actions.md lists the columns)`;
    const refusals = [
      ["stage = 'x'; DROP", 'where: unexpected character ";" at character 12', `${example}; allowed: comparisons (= != < <= > >=), IN (…), BETWEEN … AND …, IS [NOT] NULL, AND, OR, NOT, parentheses`],
      ['  ', 'where: the expression is empty', example],
      ['stage = ', 'where: expected a value but found the end of the expression', example],
      ["stage = 'new' stage = 'x'", 'where: unexpected "stage" at character 15', `${example}; join conditions with AND or OR`],
      ["stag IN ('new')", 'where: unknown column stag at character 1', 'did you mean stage? (columns: docs/actions.md)'],
      ["p_alive > 'high'", "where: p_alive is a number, compared with 'high'", 'compare it with a number, e.g. p_alive > 10'],
      ['segment = 5', 'where: segment is text, compared with 5', "quote the value, e.g. segment = '5'"],
      ['last_purchase > 5', 'where: last_purchase is a date, compared with 5', "compare it with a quoted date, e.g. last_purchase <= '2024-06-30'"],
      ["last_purchase > '2024-13-01'", 'where last_purchase 2024-13-01 is not a date', "write it as YYYY-MM-DD, e.g. last_purchase <= '2024-06-30'"],
    ] as const;
    for (const [text, message, hint] of refusals) {
      const error = userError(text, api);
      expect({ text, message: error.message, hint: error.hint }).toEqual({ text, message, hint });
      // the CLI's words: the same refusal, naming the flag
      const flag = userError(text);
      expect({ text, message: flag.message, hint: flag.hint }).toEqual({ text, message: message.replace(/^where/, '--where'), hint: hint.replace('"where": "', '--where "') });
      // a play's filter: the field as the playbook file writes it, after the playbook and the play
      const play = userError(text, { field: 'where', within: 'playbook mine.json play x' });
      expect({ text, message: play.message, hint: play.hint }).toEqual({ text, message: `playbook mine.json play x ${message}`, hint });
    }
  });
});
